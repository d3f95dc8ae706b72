//! `modelarts_notebook` with real Terraform: lookup by id and by exact name with the resource's attributes
//! and a sensitive token; zero or several matches and bad arguments fail the plan with a clear error.

use crate::data_source_support::*;
use crate::notebook_support::Env;

#[test]
fn by_id_and_by_name() {
    let env = Env::new();
    let a = create(&env, "alpha", "modelarts.vm.cpu.2u", CPU_IMAGE);
    create(&env, "alpha-2", "modelarts.vm.cpu.4u", CPU_IMAGE);
    let id = a.id.clone().unwrap();
    env.write(&format!(
        "data \"modelarts_notebook\" \"by_id\" {{\n  id = \"{id}\"\n}}\n\
         data \"modelarts_notebook\" \"by_name\" {{\n  name = \"alpha\"\n}}\n\
         output \"name\" {{\n  value = data.modelarts_notebook.by_id.name\n}}\n\
         output \"id\" {{\n  value = data.modelarts_notebook.by_name.id\n}}\n\
         output \"token\" {{\n  value     = data.modelarts_notebook.by_name.token\n  sensitive = true\n}}\n"
    ));
    env.h.init();
    env.h.apply();
    let o = outputs(&env);
    assert_eq!(o["name"], "alpha");
    assert_eq!(o["id"], id.as_str());
    assert_eq!(o["token"], a.token.as_ref().unwrap().expose());
    let v = data_source(&env, "data.modelarts_notebook.by_id");
    assert_eq!(v["flavor"], "modelarts.vm.cpu.2u");
    assert_eq!(v["status"], "RUNNING");
    assert_eq!(v["workspace_id"], "0");
    assert_eq!(v["image_name"], CPU_IMAGE);
    assert_eq!(v["volume"][0]["size"], 5);
    assert!(
        v["created_at"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{v}"
    );
    for resource_only in ["desired_state", "timeouts", "hooks"] {
        assert!(v.get(resource_only).is_none(), "{resource_only}");
    }
    let by_name = data_source(&env, "data.modelarts_notebook.by_name");
    assert_eq!(by_name, v, "both lookups see the same notebook");
    assert!(is_sensitive(&env, "modelarts_notebook", "token"));
    assert!(!is_sensitive(&env, "modelarts_notebook", "url"));
    env.write(&format!(
        "data \"modelarts_notebook\" \"by_id\" {{\n  id = \"{id}\"\n}}\n\
         output \"token\" {{\n  value = data.modelarts_notebook.by_id.token\n}}\n"
    ));
    env.h.plan_expect_error("Output refers to sensitive values");
}

#[test]
fn zero_or_several_matches_fail_with_the_candidates() {
    let env = Env::new();
    let t1 = create(&env, "twin", "modelarts.vm.cpu.2u", CPU_IMAGE);
    let t2 = create(&env, "twin", "modelarts.vm.cpu.4u", CPU_IMAGE);
    env.write("data \"modelarts_notebook\" \"x\" {\n  name = \"twin\"\n}\n");
    env.h.init();
    let out = env.h.plan_expect_error("Several notebooks match");
    for nb in [&t1, &t2] {
        assert!(
            out.stderr.contains(nb.id.as_deref().unwrap()),
            "{}",
            out.stderr
        );
    }
    env.write("data \"modelarts_notebook\" \"x\" {\n  name = \"twi\"\n}\n");
    let out = env.h.plan_expect_error("Notebook not found");
    assert!(
        out.stderr.contains("Notebooks with similar"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(t1.id.as_deref().unwrap()),
        "{}",
        out.stderr
    );
    env.write(
        "data \"modelarts_notebook\" \"x\" {\n  id = \"00000000-0000-4000-8000-000000000000\"\n}\n",
    );
    env.h
        .plan_expect_error("(?s)Notebook not found.*ModelArts.6309");
}

#[test]
fn arguments_are_validated_at_plan_time() {
    let env = Env::new();
    env.write("data \"modelarts_notebook\" \"x\" {}\n");
    env.h.init();
    env.h
        .plan_expect_error("Exactly one of `id`, `name` must be set");
    env.write(
        "data \"modelarts_notebook\" \"x\" {\n  id   = \"00000000-0000-4000-8000-000000000000\"\n  name = \"a\"\n}\n",
    );
    env.h
        .plan_expect_error("Conflicting configuration arguments");
    env.write("data \"modelarts_notebook\" \"x\" {\n  id = \"nb-1\"\n}\n");
    env.h.plan_expect_error("must be a notebook UUID");
    assert!(
        env.emu.journal().is_empty(),
        "no API call before the errors"
    );
}
