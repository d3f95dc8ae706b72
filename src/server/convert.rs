//! Conversions between the generated tfplugin5 messages and the plain `tf::protocol` types.

use super::proto::tfplugin5 as pb;
use crate::tf::protocol as tf;

pub fn dynamic_value_in(v: Option<pb::DynamicValue>) -> Option<tf::DynamicValue> {
    v.map(|v| tf::DynamicValue {
        msgpack: v.msgpack,
        json: v.json,
    })
}

pub fn dynamic_value_out(v: Option<tf::DynamicValue>) -> Option<pb::DynamicValue> {
    v.map(|v| pb::DynamicValue {
        msgpack: v.msgpack,
        json: v.json,
    })
}

pub fn raw_state_in(v: Option<pb::RawState>) -> tf::RawState {
    match v {
        Some(v) => tf::RawState {
            json: v.json,
            flatmap: v.flatmap.into_iter().collect(),
        },
        None => tf::RawState::default(),
    }
}

pub fn diagnostics_out(diags: Vec<tf::Diagnostic>) -> Vec<pb::Diagnostic> {
    diags.into_iter().map(diagnostic_out).collect()
}

pub fn diagnostic_out(d: tf::Diagnostic) -> pb::Diagnostic {
    let severity = match d.severity {
        tf::Severity::Error => pb::diagnostic::Severity::Error,
        tf::Severity::Warning => pb::diagnostic::Severity::Warning,
    };
    pb::Diagnostic {
        severity: severity as i32,
        summary: d.summary,
        detail: d.detail,
        attribute: d.attribute.map(attribute_path_out),
    }
}

pub fn attribute_path_out(p: tf::AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    let steps = p
        .steps
        .into_iter()
        .map(|s| pb::attribute_path::Step {
            selector: Some(match s {
                tf::PathStep::Attribute(name) => Selector::AttributeName(name),
                tf::PathStep::ElementKeyString(key) => Selector::ElementKeyString(key),
                tf::PathStep::ElementKeyInt(i) => Selector::ElementKeyInt(i),
            }),
        })
        .collect();
    pb::AttributePath { steps }
}

fn string_kind_out(k: tf::StringKind) -> i32 {
    match k {
        tf::StringKind::Plain => pb::StringKind::Plain as i32,
        tf::StringKind::Markdown => pb::StringKind::Markdown as i32,
    }
}

fn nesting_out(n: tf::NestingMode) -> i32 {
    use pb::schema::nested_block::NestingMode;
    (match n {
        tf::NestingMode::Single => NestingMode::Single,
        tf::NestingMode::List => NestingMode::List,
        tf::NestingMode::Set => NestingMode::Set,
        tf::NestingMode::Map => NestingMode::Map,
        tf::NestingMode::Group => NestingMode::Group,
    }) as i32
}

pub fn block_out(b: tf::SchemaBlock) -> pb::schema::Block {
    pb::schema::Block {
        version: b.version,
        attributes: b
            .attributes
            .into_iter()
            .map(|a| pb::schema::Attribute {
                name: a.name,
                r#type: a.type_json,
                description: a.description,
                required: a.required,
                optional: a.optional,
                computed: a.computed,
                sensitive: a.sensitive,
                description_kind: string_kind_out(a.description_kind),
                deprecated: a.deprecated,
            })
            .collect(),
        block_types: b
            .block_types
            .into_iter()
            .map(|nb| pb::schema::NestedBlock {
                type_name: nb.type_name,
                block: Some(block_out(nb.block)),
                nesting: nesting_out(nb.nesting),
                min_items: nb.min_items,
                max_items: nb.max_items,
            })
            .collect(),
        description: b.description,
        description_kind: string_kind_out(b.description_kind),
        deprecated: b.deprecated,
    }
}

pub fn schema_out(s: tf::Schema) -> pb::Schema {
    pb::Schema {
        version: s.version,
        block: Some(block_out(s.block)),
    }
}

/// An empty schema; Terraform requires `provider` to be present even when a provider has no configuration.
fn empty_schema() -> pb::Schema {
    pb::Schema {
        version: 0,
        block: Some(pb::schema::Block::default()),
    }
}

pub fn get_schema_out(r: tf::GetSchemaResponse) -> pb::get_provider_schema::Response {
    pb::get_provider_schema::Response {
        provider: Some(r.provider.map_or_else(empty_schema, schema_out)),
        resource_schemas: r
            .resource_schemas
            .into_iter()
            .map(|(k, v)| (k, schema_out(v)))
            .collect(),
        data_source_schemas: r
            .data_source_schemas
            .into_iter()
            .map(|(k, v)| (k, schema_out(v)))
            .collect(),
        diagnostics: diagnostics_out(r.diagnostics),
        provider_meta: r.provider_meta.map(schema_out),
    }
}

pub fn read_resource_in(r: pb::read_resource::Request) -> tf::ReadResourceRequest {
    tf::ReadResourceRequest {
        type_name: r.type_name,
        current_state: dynamic_value_in(r.current_state),
        private: r.private,
        provider_meta: dynamic_value_in(r.provider_meta),
    }
}

pub fn plan_in(r: pb::plan_resource_change::Request) -> tf::PlanResourceChangeRequest {
    tf::PlanResourceChangeRequest {
        type_name: r.type_name,
        prior_state: dynamic_value_in(r.prior_state),
        proposed_new_state: dynamic_value_in(r.proposed_new_state),
        config: dynamic_value_in(r.config),
        prior_private: r.prior_private,
        provider_meta: dynamic_value_in(r.provider_meta),
    }
}

pub fn plan_out(r: tf::PlanResourceChangeResponse) -> pb::plan_resource_change::Response {
    pb::plan_resource_change::Response {
        planned_state: dynamic_value_out(r.planned_state),
        requires_replace: r
            .requires_replace
            .into_iter()
            .map(attribute_path_out)
            .collect(),
        planned_private: r.planned_private,
        diagnostics: diagnostics_out(r.diagnostics),
        // Never set: it would make Terraform only log the consistency violations it must reject.
        legacy_type_system: false,
    }
}

pub fn apply_in(r: pb::apply_resource_change::Request) -> tf::ApplyResourceChangeRequest {
    tf::ApplyResourceChangeRequest {
        type_name: r.type_name,
        prior_state: dynamic_value_in(r.prior_state),
        planned_state: dynamic_value_in(r.planned_state),
        config: dynamic_value_in(r.config),
        planned_private: r.planned_private,
        provider_meta: dynamic_value_in(r.provider_meta),
    }
}

pub fn apply_out(r: tf::ApplyResourceChangeResponse) -> pb::apply_resource_change::Response {
    pb::apply_resource_change::Response {
        new_state: dynamic_value_out(r.new_state),
        private: r.private,
        diagnostics: diagnostics_out(r.diagnostics),
        legacy_type_system: false,
    }
}

pub fn import_out(r: tf::ImportResourceStateResponse) -> pb::import_resource_state::Response {
    pb::import_resource_state::Response {
        imported_resources: r
            .imported_resources
            .into_iter()
            .map(|i| pb::import_resource_state::ImportedResource {
                type_name: i.type_name,
                state: dynamic_value_out(i.state),
                private: i.private,
            })
            .collect(),
        diagnostics: diagnostics_out(r.diagnostics),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(name: &str) -> tf::SchemaAttribute {
        tf::SchemaAttribute {
            name: name.into(),
            type_json: br#"["list","string"]"#.to_vec(),
            description: "d".into(),
            required: false,
            optional: true,
            computed: true,
            sensitive: true,
            description_kind: tf::StringKind::Markdown,
            deprecated: true,
        }
    }

    fn block(
        attrs: Vec<tf::SchemaAttribute>,
        nested: Vec<tf::SchemaNestedBlock>,
    ) -> tf::SchemaBlock {
        tf::SchemaBlock {
            version: 3,
            attributes: attrs,
            block_types: nested,
            description: "b".into(),
            description_kind: tf::StringKind::Plain,
            deprecated: false,
        }
    }

    #[test]
    fn schema_conversion_keeps_every_field() {
        let nested = tf::SchemaNestedBlock {
            type_name: "volume".into(),
            block: block(vec![attr("size")], vec![]),
            nesting: tf::NestingMode::Set,
            min_items: 1,
            max_items: 4,
        };
        let s = schema_out(tf::Schema {
            version: 2,
            block: block(vec![attr("tags")], vec![nested]),
        });
        assert_eq!(s.version, 2);
        let b = s.block.unwrap();
        assert_eq!(b.version, 3);
        let a = &b.attributes[0];
        assert_eq!(
            (a.name.as_str(), a.r#type.as_slice()),
            ("tags", br#"["list","string"]"#.as_slice())
        );
        assert!(!a.required && a.optional && a.computed && a.sensitive && a.deprecated);
        assert_eq!(a.description_kind, pb::StringKind::Markdown as i32);
        let nb = &b.block_types[0];
        assert_eq!(nb.type_name, "volume");
        assert_eq!(
            nb.nesting,
            pb::schema::nested_block::NestingMode::Set as i32
        );
        assert_eq!((nb.min_items, nb.max_items), (1, 4));
        assert_eq!(nb.block.as_ref().unwrap().attributes[0].name, "size");
    }

    #[test]
    fn missing_provider_schema_becomes_an_empty_block() {
        let r = get_schema_out(tf::GetSchemaResponse::default());
        assert!(r.provider.unwrap().block.is_some());
        assert!(r.provider_meta.is_none());
    }

    #[test]
    fn diagnostics_with_paths() {
        let d = diagnostic_out(tf::Diagnostic {
            severity: tf::Severity::Warning,
            summary: "s".into(),
            detail: "d".into(),
            attribute: Some(tf::AttributePath {
                steps: vec![
                    tf::PathStep::Attribute("a".into()),
                    tf::PathStep::ElementKeyInt(2),
                    tf::PathStep::ElementKeyString("k".into()),
                ],
            }),
        });
        assert_eq!(d.severity, pb::diagnostic::Severity::Warning as i32);
        use pb::attribute_path::step::Selector;
        let steps: Vec<_> = d
            .attribute
            .unwrap()
            .steps
            .into_iter()
            .map(|s| s.selector.unwrap())
            .collect();
        assert_eq!(
            steps,
            vec![
                Selector::AttributeName("a".into()),
                Selector::ElementKeyInt(2),
                Selector::ElementKeyString("k".into())
            ]
        );
        let e = diagnostic_out(tf::Diagnostic {
            severity: tf::Severity::Error,
            summary: String::new(),
            detail: String::new(),
            attribute: None,
        });
        assert_eq!(e.severity, 1);
        assert!(e.attribute.is_none());
    }

    #[test]
    fn dynamic_values_and_raw_state() {
        assert_eq!(dynamic_value_in(None), None);
        let v = dynamic_value_in(Some(pb::DynamicValue {
            msgpack: vec![0xc0],
            json: vec![],
        }))
        .unwrap();
        assert_eq!(v.msgpack, vec![0xc0]);
        let raw = raw_state_in(Some(pb::RawState {
            json: b"{}".to_vec(),
            flatmap: [("a".to_string(), "b".to_string())].into_iter().collect(),
        }));
        assert_eq!(raw.json, b"{}");
        assert_eq!(raw.flatmap.get("a").map(String::as_str), Some("b"));
        assert!(raw_state_in(None).json.is_empty());
    }
}
