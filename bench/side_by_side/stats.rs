//! Medians, p90s and per-round ratios of the samples the benchmark collects.

/// Summary of one series.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub n: usize,
    pub median: f64,
    pub p90: f64,
    pub min: f64,
    pub max: f64,
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn summarize(values: &[f64]) -> Summary {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    // The median of an even count is the mean of the middle two, as usual; p90 is nearest-rank.
    let median = match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    };
    Summary {
        n: v.len(),
        median,
        p90: percentile(&v, 90.0),
        min: v.first().copied().unwrap_or(f64::NAN),
        max: v.last().copied().unwrap_or(f64::NAN),
    }
}

/// `num[i] / den[i]` for each round where both exist: ratios are taken within a round, so load that changes
/// between rounds hits both sides of a ratio alike.
pub fn ratios(num: &[f64], den: &[f64]) -> Vec<f64> {
    num.iter()
        .zip(den)
        .filter(|(_, d)| **d > 0.0)
        .map(|(n, d)| n / d)
        .collect()
}

/// Self-checks, run by `cargo test` (this bench has its own harness, see `checks.rs`).
pub const CHECKS: &[(&str, fn())] = &[
    ("stats: median and p90", check_median_and_p90),
    ("stats: ratios pair rounds", check_ratios_pair_rounds),
];

fn check_median_and_p90() {
    let s = summarize(&[5.0, 1.0, 3.0, 2.0, 4.0]);
    assert_eq!((s.median, s.p90, s.min, s.max), (3.0, 5.0, 1.0, 5.0));
    let v: Vec<f64> = (1..=20).map(f64::from).collect();
    let s = summarize(&v);
    assert_eq!((s.median, s.p90, s.n), (10.5, 18.0, 20));
}

fn check_ratios_pair_rounds() {
    assert_eq!(ratios(&[10.0, 9.0, 1.0], &[2.0, 3.0, 0.0]), vec![5.0, 3.0]);
}
