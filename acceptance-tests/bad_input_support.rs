//! Reading Terraform's rendered diagnostics: each `Error:` box with the resource (or provider) it is about, the
//! quoted source line Terraform picked from the attribute path, and the detail text. Lets one Terraform run
//! check dozens of invalid configurations, each in its own resource block.

#![allow(dead_code)]

use crate::harness::Output;

#[derive(Debug, Clone)]
pub struct Diag {
    pub severity: String,
    pub summary: String,
    /// `modelarts_notebook.c07` or `provider["..."].p3` from the `with …,` line.
    pub with: String,
    /// The quoted source line (`  12:   name = "x"` → `name = "x"`), when Terraform shows one.
    pub source: String,
    /// The line of `on main.tf line N`, 0 when absent.
    pub line: usize,
    pub detail: String,
}

/// Splits Terraform's rendered diagnostics (`Error: …` / `Warning: …` paragraphs, with or without the `╷ │ ╵`
/// frame Terraform draws on a terminal) into their parts.
pub fn diagnostics(out: &Output) -> Vec<Diag> {
    let text = format!("{}\n{}", out.stderr, out.stdout);
    let mut diags = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for raw in text.lines() {
        let line = raw
            .strip_prefix('│')
            .or_else(|| raw.strip_prefix('╷'))
            .or_else(|| raw.strip_prefix('╵'))
            .unwrap_or(raw)
            .trim_start_matches(' ');
        let starts =
            (line.starts_with("Error: ") || line.starts_with("Warning: ")) && !raw.starts_with(' ');
        if starts {
            if let Some(lines) = current.take() {
                diags.push(parse_box(&lines));
            }
            current = Some(vec![line.to_string()]);
        } else if let Some(lines) = current.as_mut() {
            lines.push(line.to_string());
        }
    }
    if let Some(lines) = current.take() {
        diags.push(parse_box(&lines));
    }
    diags
}

fn parse_box(lines: &[String]) -> Diag {
    let mut d = Diag {
        severity: String::new(),
        summary: String::new(),
        with: String::new(),
        source: String::new(),
        line: 0,
        detail: String::new(),
    };
    let mut detail = Vec::new();
    let mut after_source = false;
    for l in lines {
        if d.summary.is_empty() {
            if let Some((sev, summary)) = l.split_once(": ") {
                d.severity = sev.to_string();
                d.summary = summary.to_string();
            }
            continue;
        }
        // `with …` and `on … line N` come before the source line; detail text may start with "with " too.
        let header = d.line == 0 && !after_source;
        if let (true, Some(w)) = (header && d.with.is_empty(), l.strip_prefix("with ")) {
            d.with = w.trim_end_matches(',').to_string();
        } else if header && l.starts_with("on ") && l.contains(" line ") {
            d.line = l
                .split(" line ")
                .nth(1)
                .map(|r| {
                    r.chars()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>()
                })
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        } else if d.source.is_empty() && !after_source && is_source_line(l) {
            d.source = l.split_once(':').map_or("", |(_, s)| s).trim().to_string();
            after_source = true;
        } else if !l.trim().is_empty()
            && !l.trim_start().starts_with('├')
            && !l.trim_start().starts_with('│')
        {
            detail.push(l.trim().to_string());
        }
    }
    d.detail = detail.join(" ");
    d
}

fn is_source_line(l: &str) -> bool {
    let t = l.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && t[digits..].starts_with(':')
}

/// The diagnostics about one resource (or provider) address, errors only.
pub fn errors_for<'a>(diags: &'a [Diag], address: &str) -> Vec<&'a Diag> {
    diags
        .iter()
        .filter(|d| d.severity == "Error" && d.with == address)
        .collect()
}

/// The error diagnostics whose `on main.tf line N` falls in `lines` (a case's block).
pub fn errors_in_lines(diags: &[Diag], lines: std::ops::RangeInclusive<usize>) -> Vec<&Diag> {
    diags
        .iter()
        .filter(|d| d.severity == "Error" && lines.contains(&d.line))
        .collect()
}
