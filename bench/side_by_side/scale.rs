//! Section 3: `terraform apply` (create N from nothing) and no-op `terraform plan` (refresh N) with N notebooks
//! against the emulator (transition 0), side by side with N `null_resource`s, interleaved per round. A third side,
//! N `null_resource`s whose `triggers` carry the same data as a notebook's state, separates what Terraform spends
//! on the size of each object from what the provider spends. A fourth side, "floor", plans the same notebooks
//! with bench/floor_provider.rs: our server stack doing the least work the protocol allows, i.e. what the
//! mandated stack costs per notebook before any value handling of ours.

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
    /// The CLI configuration whose mirror holds the floor provider under our address, if it runs.
    pub floor_cli_config: Option<&'a Path>,
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
    /// null_resources carrying a notebook-sized state (see [`null_sized_config`]).
    pub sized: Side,
    /// The floor provider planning ours' notebooks (no-op plans only; empty when it did not run).
    pub floor: Side,
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
    null_resources(n, "    name = \"bench-${count.index}\"\n")
}

/// N `null_resource`s whose `triggers` map holds `triggers` (HCL lines).
fn null_resources(n: usize, triggers: &str) -> String {
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
  triggers = {{
{triggers}  }}
}}
"#
    )
}

/// A notebook's refreshed state flattened into string triggers (48 entries, ~2.9 KB of state per resource): the
/// same information as the state `notebook_config` leaves, held by a provider that does no work.
pub fn null_sized_config(n: usize) -> String {
    let id = "${format(\"6f1c2b8e-0d4a-4c55-9e61-%012d\", count.index)}";
    let triggers: Vec<(String, String)> = [
        ("Prepare storage", 1),
        ("Prepare compute resources", 2),
        ("Configure network", 3),
        ("Initialize the instance", 4),
    ]
    .iter()
    .enumerate()
    .flat_map(|(i, (description, step))| {
        [
            (format!("action_progress_{i}_description"), description.to_string()),
            (format!("action_progress_{i}_status"), "COMPLETED".to_string()),
            (format!("action_progress_{i}_step"), step.to_string()),
        ]
    })
    .chain(
        [
            ("allow_stop_for_update", "true"),
            ("billing_items_0", "COMPUTE"),
            ("billing_items_1", "STORAGE"),
            ("created_at", "2026-11-28T05:59:27.069Z"),
            ("desired_state", "RUNNING"),
            ("enable_force_new", "false"),
            ("feature", "NOTEBOOK"),
            ("flavor", "modelarts.vm.cpu.2u"),
            ("id", id),
            ("image_id", "f3e33ba5-c084-49ca-81d0-eeb345a8a0a5"),
            ("image_name", "pytorch1.8-cpu-ubuntu18.04"),
            ("image_swr_path", "swr.cn-north-4.myhuaweicloud.com/atelier/pytorch_1_8_cpu:pytorch_1.8.0-py_3.7-ubuntu_18.04-x86_64-20220926104212-b1e77f0"),
            ("image_tag", "pytorch_1.8.0-py_3.7-ubuntu_18.04-x86_64-20220926104212-b1e77f0"),
            ("image_type", "BUILD_IN"),
            ("lease_duration", "3600000"),
            ("lease_enabled", "true"),
            ("lease_type", "TIMING"),
            ("name", "bench-${count.index}"),
            ("run_user_gid", "100"),
            ("run_user_group_name", "ma-group"),
            ("run_user_uid", "1000"),
            ("run_user_user_name", "ma-user"),
            ("status", "RUNNING"),
            ("token", "0a5588fedb55425ad66433d7e43bf73c16a608e9811a47ea21e50249192f7bc6"),
            ("updated_at", "2026-11-28T05:59:27.069Z"),
            ("url", "https://authoring-modelarts-cnnorth4.huaweicloud.com/${count.index}/lab"),
            ("user_domain_id", "2f9149cf0f4eaccb2a80b8acde82916c"),
            ("user_domain_name", "demo-account"),
            ("user_id", "e63520c9f5982aa90364f68b8ec4eb09"),
            ("user_name", "demo-user"),
            ("volume_0_category", "EVS"),
            ("volume_0_id", "0b623b88-627c-40b4-a160-b10fd9f77edb"),
            ("volume_0_mount_path", "/home/ma-user/work/"),
            ("volume_0_ownership", "MANAGED"),
            ("volume_0_size", "5"),
            ("workspace_id", "0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string())),
    )
    .collect();
    let body: String = triggers
        .iter()
        .map(|(k, v)| format!("    {k} = \"{v}\"\n"))
        .collect();
    null_resources(n, &body)
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
    pub sized: Workspace,
    /// Same configuration as `ours`, installed from the floor's mirror; plans a copy of ours' state.
    pub floor: Option<Workspace>,
}

pub fn prepare(
    ctx: &Ctx<'_>,
    n: usize,
    with_floor: bool,
    result: &mut Scale,
) -> Result<Pair, BoxError> {
    let notebooks = notebook_config(&ctx.emulator.base_url, ctx.image_id, n);
    let ours = workspace(ctx, format!("ours-{n}"), &notebooks)?;
    let null = workspace(ctx, format!("null-{n}"), &null_config(n))?;
    let sized = workspace(ctx, format!("null-sized-{n}"), &null_sized_config(n))?;
    let init = ["init", "-input=false", "-no-color"];
    result.ours.init = Some(ours.run_expect(&init, COMMAND_LIMIT, &[0])?);
    result.null.init = Some(null.run_expect(&init, COMMAND_LIMIT, &[0])?);
    result.sized.init = Some(sized.run_expect(&init, COMMAND_LIMIT, &[0])?);
    let floor = match ctx.floor_cli_config.filter(|_| with_floor) {
        Some(rc) => {
            let ws = Workspace::new(ctx.terraform, rc, ctx.work_root.join(format!("floor-{n}")))?;
            ws.write_config(&notebooks)?;
            result.floor.init = Some(ws.run_expect(&init, COMMAND_LIMIT, &[0])?);
            Some(ws)
        }
        None => None,
    };
    Ok(Pair {
        ours,
        null,
        sized,
        floor,
    })
}

/// Gives the floor workspace ours' current state: the same notebooks, applied by ours.
pub fn copy_state(ours: &Workspace, floor: &Workspace) -> Result<(), BoxError> {
    std::fs::copy(
        ours.dir.join("terraform.tfstate"),
        floor.dir.join("terraform.tfstate"),
    )?;
    Ok(())
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

fn plan_floor(ctx: &Ctx<'_>, pair: &Pair, side: &mut Side) -> Result<(), BoxError> {
    let Some(floor) = &pair.floor else {
        return Ok(());
    };
    copy_state(&pair.ours, floor)?;
    plan_ours(ctx, floor, side)
}

fn plan_null(ws: &Workspace, side: &mut Side) -> Result<(), BoxError> {
    side.plan.push(ws.run_expect(PLAN, COMMAND_LIMIT, &[0])?);
    Ok(())
}

#[derive(Clone, Copy)]
enum Which {
    Ours,
    Null,
    Sized,
    Floor,
}

/// How many rounds of each kind one N runs.
#[derive(Clone, Copy, Debug)]
pub struct Rounds {
    pub plan: usize,
    pub apply: usize,
    /// The first `floor` rounds also plan with the floor provider (no-op plans only).
    pub floor: usize,
}

/// `rounds.plan` rounds; the first `rounds.apply` of them also apply from an empty state first. The sides rotate
/// order every round.
pub fn run(
    ctx: &Ctx<'_>,
    n: usize,
    rounds: Rounds,
    progress: &dyn Fn(&str),
) -> Result<(Scale, Pair), BoxError> {
    let (plan_rounds, apply_rounds) = (rounds.plan, rounds.apply);
    let mut result = Scale {
        n,
        ours: Side::default(),
        null: Side::default(),
        sized: Side::default(),
        floor: Side::default(),
    };
    let pair = prepare(ctx, n, rounds.floor > 0, &mut result)?;
    let apply_rounds = apply_rounds.clamp(1, plan_rounds.max(1));
    for round in 0..plan_rounds.max(1) {
        // Each side goes first, second and last equally often.
        let mut order = vec![Which::Ours, Which::Null, Which::Sized];
        if round < rounds.floor && pair.floor.is_some() {
            order.push(Which::Floor);
        }
        let sides = order.len();
        order.rotate_left(round % sides);
        if round < apply_rounds {
            for which in &order {
                match which {
                    Which::Ours => apply_ours(ctx, &pair.ours, &mut result.ours)?,
                    Which::Null => apply_null(&pair.null, &mut result.null)?,
                    Which::Sized => apply_null(&pair.sized, &mut result.sized)?,
                    // The floor plans ours' notebooks: nothing of its own to apply.
                    Which::Floor => {}
                }
            }
        }
        for which in &order {
            match which {
                Which::Ours => plan_ours(ctx, &pair.ours, &mut result.ours)?,
                Which::Null => plan_null(&pair.null, &mut result.null)?,
                Which::Sized => plan_null(&pair.sized, &mut result.sized)?,
                Which::Floor => plan_floor(ctx, &pair, &mut result.floor)?,
            }
        }
        let last = |side: &Side| side.plan.last().map_or(0.0, |r| r.wall.as_secs_f64());
        let floor = if round < rounds.floor && pair.floor.is_some() {
            format!(" floor {:.2}s", last(&result.floor))
        } else {
            String::new()
        };
        progress(&format!(
            "N={n} round {}/{}: plan ours {:.2}s null {:.2}s null-sized {:.2}s{floor} (load {})",
            round + 1,
            plan_rounds,
            last(&result.ours),
            last(&result.null),
            last(&result.sized),
            crate::procfs::load_average()
        ));
    }
    let size =
        |ws: &Workspace| std::fs::metadata(ws.dir.join("terraform.tfstate")).map_or(0, |m| m.len());
    result.ours.state_bytes = size(&pair.ours);
    result.null.state_bytes = size(&pair.null);
    result.sized.state_bytes = size(&pair.sized);
    if let Some(floor) = &pair.floor {
        result.floor.state_bytes = size(floor);
    }
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
