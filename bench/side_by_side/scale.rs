//! Section 3: `terraform apply` (create N from nothing) and no-op `terraform plan` (refresh N) with N notebooks
//! against the emulator (transition 0), side by side with N `null_resource`s, interleaved per round.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::emulator::EmulatorProcess;
use crate::tf::{Run, Workspace};
use crate::BoxError;

/// Terraform's own arguments for the timed commands: defaults otherwise (parallelism 10, refresh on).
const APPLY: &[&str] = &["apply", "-auto-approve", "-input=false", "-no-color"];
const PLAN: &[&str] = &["plan", "-detailed-exitcode", "-input=false", "-no-color"];
const COMMAND_LIMIT: Duration = Duration::from_secs(1200);

pub struct Ctx<'a> {
    pub terraform: &'a Path,
    pub cli_config: &'a Path,
    pub work_root: &'a Path,
    pub emulator: &'a EmulatorProcess,
    pub image_id: &'a str,
}

/// One side's runs at one N.
#[derive(Default)]
pub struct Side {
    pub plan: Vec<Run>,
    pub apply: Vec<Run>,
    /// Emulator CPU during each plan (ours only).
    pub emulator_cpu_plan: Vec<Duration>,
    /// Journal counts by kind for each plan / apply (ours only).
    pub plan_calls: Vec<BTreeMap<String, usize>>,
    pub apply_calls: Vec<BTreeMap<String, usize>>,
    pub init: Option<Run>,
    /// Size of the state file holding the N resources.
    pub state_bytes: u64,
}

pub struct Scale {
    pub n: usize,
    pub ours: Side,
    pub null: Side,
}

pub fn notebook_config(base_url: &str, image_id: &str, n: usize) -> String {
    format!(
        r#"terraform {{
  required_providers {{
    modelarts = {{
      source  = "terraform.local/local/modelarts"
      version = "0.1.0"
    }}
  }}
}}

provider "modelarts" {{
  region     = "cn-north-4"
  project_id = "{project}"
  access_key = "{ak}"
  secret_key = "{sk}"
  endpoints  = {{ modelarts = "{base_url}" }}
}}

resource "modelarts_notebook" "nb" {{
  count    = {n}
  name     = "bench-${{count.index}}"
  flavor   = "modelarts.vm.cpu.2u"
  image_id = "{image_id}"
  volume {{
    category = "EVS"
    size     = 5
  }}
}}
"#,
        project = modelarts::emulator::demo::PROJECT_ID,
        ak = modelarts::emulator::demo::ACCESS_KEY,
        sk = modelarts::emulator::demo::SECRET_KEY,
    )
}

pub fn null_config(n: usize) -> String {
    format!(
        r#"terraform {{
  required_providers {{
    null = {{
      source  = "hashicorp/null"
      version = "2.1.2"
    }}
  }}
}}

resource "null_resource" "nb" {{
  count    = {n}
  triggers = {{ name = "bench-${{count.index}}" }}
}}
"#
    )
}

pub fn count_calls(calls: &[crate::emulator::Call]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for c in calls {
        *m.entry(c.kind()).or_insert(0) += 1;
    }
    m
}

fn workspace(ctx: &Ctx<'_>, name: String, hcl: &str) -> Result<Workspace, BoxError> {
    let ws = Workspace::new(ctx.terraform, ctx.cli_config, ctx.work_root.join(name))?;
    ws.write_config(hcl)?;
    Ok(ws)
}

/// The working directories of one N, initialised.
pub struct Pair {
    pub ours: Workspace,
    pub null: Workspace,
}

pub fn prepare(ctx: &Ctx<'_>, n: usize, result: &mut Scale) -> Result<Pair, BoxError> {
    let ours = workspace(
        ctx,
        format!("ours-{n}"),
        &notebook_config(&ctx.emulator.base_url, ctx.image_id, n),
    )?;
    let null = workspace(ctx, format!("null-{n}"), &null_config(n))?;
    let init = ["init", "-input=false", "-no-color"];
    result.ours.init = Some(ours.run_expect(&init, COMMAND_LIMIT, &[0])?);
    result.null.init = Some(null.run_expect(&init, COMMAND_LIMIT, &[0])?);
    Ok(Pair { ours, null })
}

fn apply_ours(ctx: &Ctx<'_>, ws: &Workspace, side: &mut Side) -> Result<(), BoxError> {
    ctx.emulator.reset()?;
    ws.forget_state();
    let run = ws.run_expect(APPLY, COMMAND_LIMIT, &[0])?;
    side.apply_calls.push(count_calls(&ctx.emulator.journal()?));
    side.apply.push(run);
    Ok(())
}

fn apply_null(ws: &Workspace, side: &mut Side) -> Result<(), BoxError> {
    ws.forget_state();
    side.apply.push(ws.run_expect(APPLY, COMMAND_LIMIT, &[0])?);
    Ok(())
}

fn plan_ours(ctx: &Ctx<'_>, ws: &Workspace, side: &mut Side) -> Result<(), BoxError> {
    ctx.emulator.clear_journal()?;
    let before = crate::procfs::live_cpu(ctx.emulator.pid());
    // Exit 0 = no changes: a plan that wants changes would not be the no-op refresh being measured.
    let run = ws.run_expect(PLAN, COMMAND_LIMIT, &[0])?;
    let after = crate::procfs::live_cpu(ctx.emulator.pid());
    if let (Some(a), Some(b)) = (after, before) {
        side.emulator_cpu_plan.push(a.saturating_sub(b));
    }
    side.plan_calls.push(count_calls(&ctx.emulator.journal()?));
    side.plan.push(run);
    Ok(())
}

fn plan_null(ws: &Workspace, side: &mut Side) -> Result<(), BoxError> {
    side.plan.push(ws.run_expect(PLAN, COMMAND_LIMIT, &[0])?);
    Ok(())
}

/// `plan_rounds` rounds; the first `apply_rounds` of them also apply from an empty state first. Ours and null
/// swap order every round.
pub fn run(
    ctx: &Ctx<'_>,
    n: usize,
    plan_rounds: usize,
    apply_rounds: usize,
    progress: &dyn Fn(&str),
) -> Result<(Scale, Pair), BoxError> {
    let mut result = Scale {
        n,
        ours: Side::default(),
        null: Side::default(),
    };
    let pair = prepare(ctx, n, &mut result)?;
    let apply_rounds = apply_rounds.clamp(1, plan_rounds.max(1));
    for round in 0..plan_rounds.max(1) {
        let ours_first = round % 2 == 0;
        if round < apply_rounds {
            for ours in [ours_first, !ours_first] {
                if ours {
                    apply_ours(ctx, &pair.ours, &mut result.ours)?;
                } else {
                    apply_null(&pair.null, &mut result.null)?;
                }
            }
        }
        for ours in [ours_first, !ours_first] {
            if ours {
                plan_ours(ctx, &pair.ours, &mut result.ours)?;
            } else {
                plan_null(&pair.null, &mut result.null)?;
            }
        }
        progress(&format!(
            "N={n} round {}/{}: plan ours {:.2}s null {:.2}s (load {})",
            round + 1,
            plan_rounds,
            result
                .ours
                .plan
                .last()
                .map_or(0.0, |r| r.wall.as_secs_f64()),
            result
                .null
                .plan
                .last()
                .map_or(0.0, |r| r.wall.as_secs_f64()),
            crate::procfs::load_average()
        ));
    }
    let size =
        |ws: &Workspace| std::fs::metadata(ws.dir.join("terraform.tfstate")).map_or(0, |m| m.len());
    result.ours.state_bytes = size(&pair.ours);
    result.null.state_bytes = size(&pair.null);
    Ok((result, pair))
}

/// Sum of `totals:`/`summary:` instruction counts over the callgrind files in `dir`.
pub fn callgrind_total(dir: &Path) -> Result<(u64, usize), BoxError> {
    let mut total = 0u64;
    let mut files = 0usize;
    for entry in std::fs::read_dir(dir)? {
        let path: PathBuf = entry?.path();
        let text = std::fs::read_to_string(&path)?;
        let ir = text
            .lines()
            .find_map(|l| l.strip_prefix("totals:"))
            .or_else(|| text.lines().find_map(|l| l.strip_prefix("summary:")))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or_else(|| format!("{}: no totals line", path.display()))?;
        total += ir;
        files += 1;
    }
    Ok((total, files))
}

/// One no-op plan with every provider launch under callgrind: total instructions and the number of launches.
pub fn plan_under_callgrind(ws: &mut Workspace, dir: &Path) -> Result<(u64, usize), BoxError> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    ws.extra_env = vec![("BENCH_CALLGRIND_DIR".into(), dir.display().to_string())];
    let run = ws.run_expect(PLAN, COMMAND_LIMIT, &[0]);
    ws.extra_env.clear();
    run?;
    callgrind_total(dir)
}
