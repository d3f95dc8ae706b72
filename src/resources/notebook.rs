//! The `modelarts_notebook` resource, in lifecycle order: schema, create, read, update, delete, import.
//!
//! Plan-time rules live in `notebook_plan`, the PUT body in `notebook_update`, the attribute mapping in
//! `notebook_model` / `notebook_state`; this file holds the schema and the API calls.

use crate::tf::{Attribute, Block, NestedBlock, Schema, Type};

use super::notebook_state::{computed_attributes, STABLE_COMPUTED};

pub const TYPE_NAME: &str = "modelarts_notebook";

/// Appended to the error for a change the API cannot make in place.
pub const IMMUTABLE_HINT: &str = "The ModelArts API cannot change this on an existing notebook. Either revert \
     it to its current value, or set `enable_force_new = true` on the resource (or in the provider) to replace the \
     notebook: the old instance and its managed storage are deleted.";

fn volume_block() -> Block {
    Block::new()
        .attribute(
            Attribute::string("category")
                .required()
                .immutable_hint(IMMUTABLE_HINT)
                .description("Storage kind: `EVS`, `EFS`, `OBS` or `OBSFS`."),
        )
        .attribute(
            Attribute::string("ownership")
                .default("MANAGED")
                .immutable_hint(IMMUTABLE_HINT)
                .description("`MANAGED` (held by the service) or `DEDICATED` (in your account)."),
        )
        .attribute(Attribute::number("size").optional().computed().description(
            "Capacity in GB, at most 4096. EVS storage can grow in place; it never shrinks.",
        ))
        .attribute(
            Attribute::string("uri")
                .optional()
                .computed()
                .immutable_hint(IMMUTABLE_HINT)
                .description("Path of dedicated storage (EFS share or OBS path)."),
        )
        .attribute(
            Attribute::string("id")
                .optional()
                .computed()
                .immutable_hint(IMMUTABLE_HINT)
                .description("SFS Turbo file system UUID of dedicated EFS storage."),
        )
        .attribute(
            Attribute::string("mount_path")
                .computed()
                .use_state_for_unknown()
                .description("Where the storage is mounted in the notebook."),
        )
        .attribute(
            Attribute::string("status")
                .computed()
                .use_state_for_unknown()
                .description("`RESIZING` while the disk grows."),
        )
}

fn endpoint_block() -> Block {
    Block::new()
        .attribute(
            Attribute::string("service")
                .required()
                .description("`NOTEBOOK` (HTTPS) or `SSH`."),
        )
        .attribute(
            Attribute::set("key_pair_names", Type::String)
                .optional()
                .description("ECS key pairs allowed to log in over SSH."),
        )
        .attribute(
            Attribute::set("allowed_access_ips", Type::String)
                .optional()
                .description(
                    "At most 5 public IP addresses allowed to connect over SSH; needs key pairs.",
                ),
        )
        .attribute(
            Attribute::string("uri")
                .computed()
                .use_state_for_unknown()
                .description("Address to connect to."),
        )
}

fn hook_block() -> Block {
    Block::new()
        .attribute(Attribute::string("script").required().description(
            "Base64 script content (`COMMAND`) or the absolute path of a script (`SCRIPT`).",
        ))
        .attribute(
            Attribute::string("type")
                .default("SCRIPT")
                .description("`COMMAND` or `SCRIPT`."),
        )
}

fn affinity_rule_block(preferred: bool) -> Block {
    let b = Block::new()
        .attribute(
            Attribute::string("key")
                .required()
                .description("Node label key, e.g. `kubernetes.io/hostname`."),
        )
        .attribute(
            Attribute::string("operator")
                .required()
                .description("`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt` or `Lt`."),
        )
        .attribute(
            Attribute::list("values", Type::String)
                .optional()
                .description("Node label values."),
        );
    if preferred {
        b.attribute(
            Attribute::number("weight")
                .optional()
                .description("0 to 100."),
        )
    } else {
        b
    }
}

/// The resource schema. Attribute names match `notebook_state`'s value mapping.
pub fn schema() -> Schema {
    let mut block = Block::new()
        .description(
            "A ModelArts notebook instance. Every field the API can update is updated in place (stopping and \
             restarting the notebook where the API requires it); fields it cannot update are plan errors unless \
             `enable_force_new` is set.",
        )
        .attribute(Attribute::string("id").computed().use_state_for_unknown().description("Instance UUID."))
        .attribute(
            Attribute::string("name")
                .required()
                .description("1–128 letters, digits, `-` or `_`; names may repeat."),
        )
        .attribute(
            Attribute::string("description")
                .optional()
                .description("At most 512 characters, none of `& < > \" ' /`."),
        )
        .attribute(
            Attribute::string("flavor")
                .optional()
                .description("Machine flavor, e.g. `modelarts.vm.cpu.2u`. Exactly one of `flavor` and `custom_spec`."),
        )
        .attribute(Attribute::string("image_id").required().description("Image UUID."))
        .attribute(
            Attribute::string("pool_id")
                .optional()
                .immutable_hint(IMMUTABLE_HINT)
                .description("Dedicated resource pool; needed for `custom_spec`."),
        )
        .attribute(
            Attribute::string("workspace_id")
                .default("0")
                .immutable_hint(IMMUTABLE_HINT)
                .description("Workspace; `\"0\"` is the default workspace."),
        )
        .attribute(
            Attribute::string("desired_state")
                .default("RUNNING")
                .description("`RUNNING` or `STOPPED`. An out-of-band start or stop shows as a diff."),
        )
        .attribute(
            Attribute::bool("allow_stop_for_update")
                .default(true)
                .description("May the apply stop a RUNNING notebook to update fields that need it stopped?"),
        )
        .attribute(
            Attribute::bool("enable_force_new")
                .optional()
                .computed()
                .description("Replace the notebook when a field the API cannot update changes. Defaults to the provider's setting."),
        );
    for a in computed_attributes() {
        let stable = STABLE_COMPUTED.contains(&a.name.as_str());
        block = block.attribute(if stable { a.use_state_for_unknown() } else { a });
    }
    let block = block
        .block(
            NestedBlock::list(
                "custom_spec",
                Block::new()
                    .attribute(
                        Attribute::number("cpu")
                            .required()
                            .description("CPU cores, more than 0.3."),
                    )
                    .attribute(
                        Attribute::number("memory")
                            .required()
                            .description("Memory in MiB, a whole number above 512."),
                    )
                    .attribute(
                        Attribute::number("gpu")
                            .optional()
                            .description("GPUs, 0 or more (GPU pools only)."),
                    ),
            )
            .max_items(1),
        )
        .block(
            NestedBlock::list("volume", volume_block())
                .min_items(1)
                .max_items(1),
        )
        .block(NestedBlock::list("endpoint", endpoint_block()))
        .block(
            NestedBlock::list(
                "hooks",
                Block::new()
                    .block(NestedBlock::list("pre_start", hook_block()).max_items(1))
                    .block(NestedBlock::list("post_start", hook_block()).max_items(1)),
            )
            .max_items(1),
        )
        .block(
            NestedBlock::list(
                "affinity",
                Block::new()
                    .block(NestedBlock::list("required", affinity_rule_block(false)))
                    .block(NestedBlock::list("preferred", affinity_rule_block(true))),
            )
            .max_items(1),
        )
        .block(NestedBlock::single(
            "timeouts",
            Block::new()
                .attribute(
                    Attribute::string("create")
                        .optional()
                        .description("Default `30m`."),
                )
                .attribute(
                    Attribute::string("update")
                        .optional()
                        .description("Default `30m`."),
                )
                .attribute(
                    Attribute::string("delete")
                        .optional()
                        .description("Default `20m`."),
                ),
        ));
    Schema::new(block)
}
