//! In-place updates with real Terraform: each of the nine updatable fields is an `update` action and exactly one
//! PUT with the minimal body; several fields make one PUT; removals use the seed page's clear forms.

use crate::notebook_support::*;

/// The notebook's configuration, rendered to HCL. The notebook stays STOPPED so each update is exactly one PUT.
#[derive(Clone)]
struct Cfg {
    name: &'static str,
    description: Option<&'static str>,
    flavor: Option<&'static str>,
    custom_spec: Option<&'static str>,
    image: String,
    size: u32,
    endpoint: bool,
    hooks: bool,
    affinity: bool,
}

impl Cfg {
    fn base() -> Cfg {
        Cfg {
            name: "nb-1",
            description: None,
            flavor: Some(FLAVOR),
            custom_spec: None,
            image: pytorch(),
            size: 5,
            endpoint: false,
            hooks: false,
            affinity: false,
        }
    }

    fn hcl(&self) -> String {
        let mut s = format!(
            "  name          = \"{}\"\n  image_id      = \"{}\"\n  pool_id       = \"{CPU_POOL}\"\n  \
             desired_state = \"STOPPED\"\n  volume {{\n    category = \"EVS\"\n    size     = {}\n  }}\n",
            self.name, self.image, self.size
        );
        if let Some(d) = self.description {
            s.push_str(&format!("  description = \"{d}\"\n"));
        }
        if let Some(f) = self.flavor {
            s.push_str(&format!("  flavor = \"{f}\"\n"));
        }
        if let Some(c) = self.custom_spec {
            s.push_str(&format!("  custom_spec {{\n    {c}\n  }}\n"));
        }
        if self.endpoint {
            s.push_str(
                "  endpoint {\n    service            = \"SSH\"\n    key_pair_names     = [\"kp-1\"]\n    \
                 allowed_access_ips = [\"1.2.3.4\"]\n  }\n",
            );
        }
        if self.hooks {
            s.push_str(
                "  hooks {\n    pre_start {\n      script = \"/home/ma-user/pre.sh\"\n    }\n  }\n",
            );
        }
        if self.affinity {
            s.push_str(
                "  affinity {\n    required {\n      key      = \"kubernetes.io/hostname\"\n      operator = \"In\"\n      \
                 values   = [\"node-1\"]\n    }\n  }\n",
            );
        }
        s
    }
}

/// Applies `cfg` as an update and asserts the one PUT body.
fn step(env: &Env, cfg: &Cfg, expected: &str) {
    env.write_notebook(&cfg.hcl());
    let puts = env.apply_update();
    assert_eq!(
        puts,
        vec![expected.to_string()],
        "journal: {:?}",
        env.calls()
    );
    assert_eq!(env.calls().len(), 1, "only the PUT: {:?}", env.calls());
}

const REQ: &str = "required_during_scheduling_ignored_during_execution";
const PREF: &str = "preferred_during_scheduling_ignored_during_execution";

#[test]
fn each_updatable_field_is_one_minimal_put() {
    let env = Env::new();
    let mut cfg = Cfg::base();
    env.write_notebook(&cfg.hcl());
    env.h.init();
    env.h.apply();
    assert_eq!(env.state_value("status"), "STOPPED");

    cfg.name = "nb-2";
    step(&env, &cfg, r#"{"name":"nb-2"}"#);
    cfg.description = Some("first notebook");
    step(&env, &cfg, r#"{"description":"first notebook"}"#);
    cfg.endpoint = true;
    step(
        &env,
        &cfg,
        r#"{"endpoints":[{"service":"SSH","key_pair_names":["kp-1"],"allowed_access_ips":["1.2.3.4"]}]}"#,
    );
    cfg.flavor = Some("modelarts.vm.cpu.4u");
    step(&env, &cfg, r#"{"flavor":"modelarts.vm.cpu.4u"}"#);
    cfg.flavor = None;
    cfg.custom_spec = Some("cpu    = 2\n    memory = 4096");
    step(&env, &cfg, r#"{"custom_spec":{"cpu":2.0,"memory":4096}}"#);
    cfg.custom_spec = Some("cpu    = 2.5\n    memory = 4096");
    step(&env, &cfg, r#"{"custom_spec":{"cpu":2.5,"memory":4096}}"#);
    cfg.image = conda();
    step(&env, &cfg, &format!(r#"{{"image_id":"{}"}}"#, conda()));
    cfg.size = 10;
    step(&env, &cfg, r#"{"storage_new_size":10}"#);
    cfg.hooks = true;
    step(
        &env,
        &cfg,
        r#"{"hooks":{"container_hooks":{"pre_start":{"script":"/home/ma-user/pre.sh","type":"SCRIPT"}}}}"#,
    );
    cfg.affinity = true;
    step(
        &env,
        &cfg,
        &format!(
            r#"{{"affinity":{{"{REQ}":[{{"key":"kubernetes.io/hostname","operator":"In","values":["node-1"]}}]}}}}"#
        ),
    );
}

#[test]
fn several_fields_one_put_and_clear_forms() {
    let env = Env::new();
    let mut cfg = Cfg::base();
    cfg.description = Some("text");
    cfg.endpoint = true;
    cfg.hooks = true;
    cfg.affinity = true;
    env.write_notebook(&cfg.hcl());
    env.h.init();
    env.h.apply();

    cfg.name = "nb-many";
    cfg.image = conda();
    cfg.size = 8;
    step(
        &env,
        &cfg,
        &format!(
            r#"{{"name":"nb-many","image_id":"{}","storage_new_size":8}}"#,
            conda()
        ),
    );

    cfg.description = None;
    step(&env, &cfg, r#"{"description":""}"#);
    cfg.affinity = false;
    step(
        &env,
        &cfg,
        &format!(r#"{{"affinity":{{"{REQ}":[],"{PREF}":[]}}}}"#),
    );
    cfg.endpoint = false;
    step(&env, &cfg, r#"{"endpoints":[]}"#);
    let id = env.only_id();
    let hooks = env.emu.stored_hooks(&id).flatten().expect("hooks stored");
    assert!(hooks.pre_start.is_some() && hooks.post_start.is_none());
    cfg.hooks = false;
    step(&env, &cfg, r#"{"hooks":{"container_hooks":{}}}"#);
    // The emulator removed them (the API never shows hooks, so only its store can tell).
    assert_eq!(env.emu.stored_hooks(&id), Some(None));
    assert_eq!(env.state_value("description"), serde_json::Value::Null);
}
