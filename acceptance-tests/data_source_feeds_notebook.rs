//! Data sources feeding `modelarts_notebook` with real Terraform: a flavor and an image picked by name create
//! the notebook; changing the flavor filter switches the flavor in place (one PUT with only `flavor`); the
//! switchable-flavors list of the created notebook follows its flavor.

use crate::data_source_support::*;
use crate::notebook_support::Env;

fn config(flavor_name: &str) -> String {
    format!(
        "data \"modelarts_notebook_flavors\" \"pick\" {{\n  category         = \"CPU\"\n  arch             = \"x86_64\"\n  \
         name             = \"{flavor_name}\"\n  exclude_sold_out = true\n}}\n\
         data \"modelarts_notebook_images\" \"pick\" {{\n  name = \"{CPU_IMAGE}\"\n}}\n\
         resource \"modelarts_notebook\" \"nb\" {{\n  name          = \"picked\"\n  \
         flavor        = data.modelarts_notebook_flavors.pick.ids[0]\n  \
         image_id      = data.modelarts_notebook_images.pick.ids[0]\n  desired_state = \"STOPPED\"\n  \
         volume {{\n    category = \"EVS\"\n    size     = 5\n  }}\n}}\n\
         data \"modelarts_notebook_flavors\" \"next\" {{\n  notebook_id = modelarts_notebook.nb.id\n}}\n\
         data \"modelarts_notebook\" \"same\" {{\n  id = modelarts_notebook.nb.id\n}}\n\
         output \"switchable\" {{\n  value = data.modelarts_notebook_flavors.next.ids\n}}\n\
         output \"seen_flavor\" {{\n  value = data.modelarts_notebook.same.flavor\n}}\n"
    )
}

#[test]
fn picked_by_name_then_switched_in_place() {
    let env = Env::new();
    env.write(&config("CPU: 2vCPUs 8GB"));
    env.h.init();
    env.h.apply();
    let nb = &env.notebooks()[0];
    assert_eq!(nb.flavor.as_deref(), Some("modelarts.vm.cpu.2u"));
    assert_eq!(
        nb.image.as_ref().and_then(|i| i.name.as_deref()),
        Some(CPU_IMAGE)
    );
    assert_eq!(env.state_value("flavor"), "modelarts.vm.cpu.2u");
    let o = outputs(&env);
    assert_eq!(o["seen_flavor"], "modelarts.vm.cpu.2u");
    let switchable: Vec<String> = sorted_output(&env, "switchable");
    assert!(
        switchable.contains(&"modelarts.vm.cpu.4u".to_string()),
        "{switchable:?}"
    );
    assert!(
        !switchable.contains(&"modelarts.vm.cpu.2u".to_string()),
        "{switchable:?}"
    );

    env.write(&config("CPU: 4vCPUs 16GB"));
    let bodies = env.apply_update();
    assert_eq!(
        bodies,
        vec![r#"{"flavor":"modelarts.vm.cpu.4u"}"#.to_string()]
    );
    assert_eq!(env.notebooks().len(), 1, "switched in place, not replaced");
    assert_eq!(env.state_value("flavor"), "modelarts.vm.cpu.4u");
    let o = outputs(&env);
    assert_eq!(o["seen_flavor"], "modelarts.vm.cpu.4u");
    assert!(
        sorted_output(&env, "switchable").contains(&"modelarts.vm.cpu.2u".to_string()),
        "the old flavor is now a switch target"
    );
    env.h.destroy();
    assert!(env.notebooks().is_empty());
}
