//! Unit tests of the notebook configuration rules: one or more per rule, with the path each error carries.

use super::*;

fn s(v: &str) -> Known<String> {
    Known::Value(v.to_string())
}

fn path_text(p: &AttributePath) -> String {
    p.to_string()
}

/// A configuration that passes every rule.
fn valid() -> NotebookConfig {
    NotebookConfig {
        name: s("nb-1_a"),
        description: s("team notebook"),
        flavor: s("modelarts.vm.cpu.2u"),
        image_id: s("278e88d1-5b71-4766-8502-b3ba72e824d9"),
        volume: Known::Value(vec![VolumeConfig {
            category: s("EVS"),
            ownership: s("MANAGED"),
            size: Known::Value(50.0),
            ..Default::default()
        }]),
        workspace_id: s("0"),
        desired_state: s("RUNNING"),
        ..Default::default()
    }
}

fn paths(config: &NotebookConfig) -> Vec<String> {
    validate(config)
        .iter()
        .map(|v| path_text(&v.path))
        .collect()
}

#[test]
fn valid_config_passes() {
    assert_eq!(validate(&valid()), vec![]);
}

#[test]
fn name_rules() {
    assert!(check_name("a").is_ok());
    assert!(check_name(&"x".repeat(128)).is_ok());
    assert!(check_name("").is_err());
    assert!(check_name(&"x".repeat(129)).is_err());
    let err = check_name("my notebook").unwrap_err();
    assert!(err.detail.contains("' '"), "{}", err.detail);
    assert!(check_name("nb.1").is_err());
    assert!(check_name("笔记本").is_err());
    let mut c = valid();
    c.name = s("bad/name");
    assert_eq!(paths(&c), vec!["name"]);
}

#[test]
fn description_rules() {
    assert!(check_description("").is_ok());
    assert!(check_description(&"é".repeat(512)).is_ok());
    assert!(check_description(&"d".repeat(513)).is_err());
    for c in ['&', '<', '>', '"', '\'', '/'] {
        assert!(check_description(&format!("a{c}b")).is_err(), "{c}");
    }
    let mut c = valid();
    c.description = s("a/b");
    assert_eq!(paths(&c), vec!["description"]);
}

#[test]
fn flavor_xor_custom_spec() {
    let spec = CustomSpecConfig {
        cpu: Known::Value(2.0),
        memory: Known::Value(4096.0),
        gpu: Known::Null,
    };
    let mut both = valid();
    both.custom_spec = Known::Value(vec![spec.clone()]);
    both.pool_id = s("pool-1");
    let v = validate(&both);
    assert_eq!(v.len(), 1);
    assert_eq!(path_text(&v[0].path), "custom_spec");
    assert!(v[0].detail.contains("flavor and custom_spec"));

    let mut neither = valid();
    neither.flavor = Known::Null;
    assert_eq!(paths(&neither), vec!["flavor"]);
    neither.custom_spec = Known::Value(vec![]);
    assert_eq!(paths(&neither), vec!["flavor"]);

    let mut only_spec = valid();
    only_spec.flavor = Known::Null;
    only_spec.custom_spec = Known::Value(vec![spec]);
    only_spec.pool_id = s("pool-1");
    assert_eq!(validate(&only_spec), vec![]);

    // Unknown on either side defers the decision to apply.
    let mut unknown = valid();
    unknown.flavor = Known::Unknown;
    assert_eq!(validate(&unknown), vec![]);
    let mut unknown_spec = valid();
    unknown_spec.flavor = Known::Null;
    unknown_spec.custom_spec = Known::Unknown;
    assert_eq!(validate(&unknown_spec), vec![]);
}

#[test]
fn empty_flavor_rejected() {
    let mut c = valid();
    c.flavor = s(" ");
    assert_eq!(paths(&c), vec!["flavor"]);
}

#[test]
fn custom_spec_bounds() {
    assert!(check_cpu(0.31).is_ok());
    assert!(check_cpu(0.3).is_err());
    assert!(check_cpu(f64::NAN).is_err());
    assert!(check_memory(513.0).is_ok());
    assert!(check_memory(512.0).is_err());
    assert!(check_memory(1024.5).is_err());
    assert!(check_gpu(0.0).is_ok());
    assert!(check_gpu(-1.0).is_err());
    let mut c = valid();
    c.flavor = Known::Null;
    c.pool_id = s("pool-1");
    c.custom_spec = Known::Value(vec![CustomSpecConfig {
        cpu: Known::Value(0.2),
        memory: Known::Value(100.0),
        gpu: Known::Value(-1.0),
    }]);
    assert_eq!(
        paths(&c),
        vec![
            "custom_spec[0].cpu",
            "custom_spec[0].memory",
            "custom_spec[0].gpu"
        ]
    );
}

#[test]
fn custom_spec_needs_pool() {
    let mut c = valid();
    c.flavor = Known::Null;
    c.custom_spec = Known::Value(vec![CustomSpecConfig {
        cpu: Known::Value(1.0),
        memory: Known::Value(1024.0),
        gpu: Known::Null,
    }]);
    let v = validate(&c);
    assert_eq!(v.len(), 1);
    assert_eq!(path_text(&v[0].path), "custom_spec");
    assert!(v[0].detail.contains("pool_id"));
    c.pool_id = Known::Unknown;
    assert_eq!(validate(&c), vec![]);
}

#[test]
fn image_id_is_uuid() {
    assert!(check_image_id("278E88D1-5b71-4766-8502-b3ba72e824d9").is_ok());
    assert!(check_image_id("278e88d15b7147668502b3ba72e824d9").is_err());
    assert!(check_image_id("278e88d1-5b71-4766-8502-b3ba72e824dz").is_err());
    let mut c = valid();
    c.image_id = s("ubuntu");
    assert_eq!(paths(&c), vec!["image_id"]);
}

#[test]
fn workspace_id_syntax() {
    assert!(check_workspace_id("0").is_ok());
    assert!(check_workspace_id(&"a1".repeat(16)).is_ok());
    assert!(check_workspace_id("1").is_err());
    assert!(check_workspace_id(&"A1".repeat(16)).is_err());
}

#[test]
fn volume_enums_and_size() {
    assert!(check_volume_category("evs").is_ok());
    assert!(check_volume_category("OBSFS").is_ok());
    assert!(check_volume_category("SFS").is_err());
    assert!(check_volume_ownership("managed").is_ok());
    assert!(check_volume_ownership("SHARED").is_err());
    assert!(check_volume_size(4096.0).is_ok());
    assert!(check_volume_size(1.0).is_ok());
    assert!(check_volume_size(4097.0).is_err());
    assert!(check_volume_size(0.0).is_err());
    assert!(check_volume_size(10.5).is_err());
    let mut c = valid();
    c.volume = Known::Value(vec![VolumeConfig {
        category: s("DISK"),
        ownership: s("MINE"),
        size: Known::Value(5000.0),
        ..Default::default()
    }]);
    assert_eq!(
        paths(&c),
        vec![
            "volume[0].category",
            "volume[0].ownership",
            "volume[0].size"
        ]
    );
    let detail = &validate(&c)[2].detail;
    assert!(detail.contains("4096"), "{detail}");
}

#[test]
fn dedicated_efs_needs_uri_and_id() {
    let mut c = valid();
    c.volume = Known::Value(vec![VolumeConfig {
        category: s("EFS"),
        ownership: s("DEDICATED"),
        ..Default::default()
    }]);
    assert_eq!(paths(&c), vec!["volume[0].uri", "volume[0].id"]);
    c.volume = Known::Value(vec![VolumeConfig {
        category: s("efs"),
        ownership: s("dedicated"),
        uri: s("192.168.0.1:/share"),
        id: s("278e88d1-5b71-4766-8502-b3ba72e824d9"),
        ..Default::default()
    }]);
    assert_eq!(validate(&c), vec![]);
    // Managed EFS and an unknown ownership need nothing.
    c.volume = Known::Value(vec![VolumeConfig {
        category: s("EFS"),
        ..Default::default()
    }]);
    assert_eq!(validate(&c), vec![]);
    c.volume = Known::Value(vec![VolumeConfig {
        category: s("EFS"),
        ownership: Known::Unknown,
        ..Default::default()
    }]);
    assert_eq!(validate(&c), vec![]);
    c.volume = Known::Value(vec![VolumeConfig {
        category: s("EFS"),
        ownership: s("DEDICATED"),
        uri: s("192.168.0.1:/share"),
        id: s("not-a-uuid"),
        ..Default::default()
    }]);
    assert_eq!(paths(&c), vec!["volume[0].id"]);
}

fn endpoint(service: &str, keys: &[&str], ips: &[&str]) -> EndpointConfig {
    let list = |xs: &[&str]| Known::Value(xs.iter().map(|x| s(x)).collect());
    EndpointConfig {
        service: s(service),
        key_pair_names: list(keys),
        allowed_access_ips: list(ips),
    }
}

#[test]
fn endpoint_rules() {
    let mut c = valid();
    c.endpoints = Known::Value(vec![
        endpoint("SSH", &["kp-1"], &["1.2.3.4", "2001:db8::1"]),
        endpoint("NOTEBOOK", &[], &[]),
    ]);
    assert_eq!(validate(&c), vec![]);

    c.endpoints = Known::Value(vec![endpoint("ssh", &["kp-1"], &[])]);
    assert_eq!(paths(&c), vec!["endpoint[0].service"]);

    c.endpoints = Known::Value(vec![endpoint(
        "SSH",
        &["kp"],
        &[
            "1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.6",
        ],
    )]);
    assert_eq!(paths(&c), vec!["endpoint[0].allowed_access_ips"]);

    c.endpoints = Known::Value(vec![endpoint("SSH", &["kp"], &["1.1.1.1", "300.1.1.1"])]);
    assert_eq!(paths(&c), vec!["endpoint[0].allowed_access_ips[1]"]);

    c.endpoints = Known::Value(vec![endpoint("SSH", &[], &["1.1.1.1"])]);
    let v = validate(&c);
    assert_eq!(v.len(), 1);
    assert!(v[0].detail.contains("key_pair_names"));

    // Unknown key pairs may turn out non-empty.
    let mut e = endpoint("SSH", &[], &["1.1.1.1"]);
    e.key_pair_names = Known::Unknown;
    c.endpoints = Known::Value(vec![e]);
    assert_eq!(validate(&c), vec![]);
}

fn hook(script: Known<String>, kind: Known<String>) -> Known<Vec<HookConfig>> {
    Known::Value(vec![HookConfig { script, kind }])
}

#[test]
fn hook_rules() {
    assert!(check_hook_script("ZWNobyBoaQ==", "COMMAND").is_ok());
    assert!(check_hook_script("echo hi", "COMMAND").is_err());
    assert!(check_hook_script("", "COMMAND").is_err());
    assert!(check_hook_script("/home/ma-user/a.sh", "SCRIPT").is_ok());
    assert!(check_hook_script("a.sh", "SCRIPT").is_err());
    assert!(check_hook_type("BASH").is_err());

    let mut c = valid();
    c.hooks = Known::Value(vec![HooksConfig {
        // Null type means SCRIPT, so a relative path fails.
        pre_start: hook(s("start.sh"), Known::Null),
        post_start: hook(s("not base64!"), s("COMMAND")),
    }]);
    assert_eq!(
        paths(&c),
        vec![
            "hooks[0].pre_start[0].script",
            "hooks[0].post_start[0].script"
        ]
    );

    c.hooks = Known::Value(vec![HooksConfig {
        pre_start: hook(s("anything"), Known::Unknown),
        post_start: hook(s("x"), s("SHELL")),
    }]);
    assert_eq!(paths(&c), vec!["hooks[0].post_start[0].type"]);
}

fn rule(key: &str, op: &str, values: &[&str], weight: Known<f64>) -> AffinityRuleConfig {
    AffinityRuleConfig {
        key: s(key),
        operator: s(op),
        values: Known::Value(values.iter().map(|v| s(v)).collect()),
        weight,
    }
}

#[test]
fn affinity_key_and_value_syntax() {
    for ok in [
        "zone",
        "kubernetes.io/hostname",
        "node.example/gpu",
        "a",
        "a.b_c-d",
    ] {
        assert!(check_affinity_key(ok).is_ok(), "{ok}");
    }
    for bad in [
        "",
        "-zone",
        "zone-",
        "Node.Example/gpu",
        "a/b/c",
        "/name",
        "x/",
        &"k".repeat(64),
    ] {
        assert!(check_affinity_key(bad).is_err(), "{bad}");
    }
    assert!(check_affinity_value("").is_ok());
    assert!(check_affinity_value("zone-a").is_ok());
    assert!(check_affinity_value("-a").is_err());
    assert!(check_affinity_value(&"v".repeat(64)).is_err());
}

#[test]
fn affinity_operators_arity_and_weight() {
    assert!(check_affinity_operator("in").is_err());
    assert!(check_affinity_arity("Exists", 0).is_ok());
    assert!(check_affinity_arity("Exists", 1).is_err());
    assert!(check_affinity_arity("Gt", 2).is_err());
    assert!(check_affinity_arity("In", 0).is_err());
    assert!(check_affinity_weight(0.0).is_ok());
    assert!(check_affinity_weight(100.0).is_ok());
    assert!(check_affinity_weight(101.0).is_err());
    assert!(check_affinity_weight(-1.0).is_err());

    let mut c = valid();
    c.affinity = Known::Value(vec![AffinityConfig {
        required: Known::Value(vec![
            rule("zone", "In", &["a"], Known::Null),
            rule("Bad Key", "Near", &["a"], Known::Null),
        ]),
        preferred: Known::Value(vec![rule("gpu", "Exists", &["t4"], Known::Value(150.0))]),
    }]);
    assert_eq!(
        paths(&c),
        vec![
            "affinity[0].required[1].key",
            "affinity[0].required[1].operator",
            "affinity[0].preferred[0].weight",
            "affinity[0].preferred[0].values",
        ]
    );
}

#[test]
fn desired_state_enum() {
    assert!(check_desired_state("STOPPED").is_ok());
    let mut c = valid();
    c.desired_state = s("running");
    assert_eq!(paths(&c), vec!["desired_state"]);
}

#[test]
fn durations() {
    assert_eq!(parse_duration("30m").unwrap(), Duration::from_secs(1800));
    assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
    assert_eq!(parse_duration("1.5h").unwrap(), Duration::from_secs(5400));
    assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
    for bad in ["", "10", "m", "10 m", "10d", "-5m", "1h-"] {
        assert!(parse_duration(bad).is_err(), "{bad}");
    }
    assert!(check_timeout("0s").is_err());
    let mut c = valid();
    c.timeouts = Known::Value(TimeoutsConfig {
        create: s("20m"),
        update: s("ten minutes"),
        delete: Known::Unknown,
    });
    assert_eq!(paths(&c), vec!["timeouts.update"]);
}

#[test]
fn unknown_values_are_skipped() {
    let c = NotebookConfig {
        name: Known::Unknown,
        description: Known::Unknown,
        flavor: Known::Unknown,
        custom_spec: Known::Unknown,
        image_id: Known::Unknown,
        volume: Known::Unknown,
        endpoints: Known::Unknown,
        hooks: Known::Unknown,
        affinity: Known::Unknown,
        pool_id: Known::Unknown,
        workspace_id: Known::Unknown,
        desired_state: Known::Unknown,
        timeouts: Known::Unknown,
    };
    assert_eq!(validate(&c), vec![]);
}
