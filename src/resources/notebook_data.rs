//! The notebook as data sources report it: every attribute the API knows, all computed, with the resource's
//! blocks as lists of objects of the same shape. Data sources call [`data_source_attributes`] for their schema
//! (or [`data_source_object_type`] for a list of notebooks) and [`data_source_value`] for each notebook read
//! with [`NotebookModel::from_resp`].

use crate::tf::{Attribute, Type, Value};

use super::notebook_model::NotebookModel;
use super::notebook_state::{
    affinity_value, computed_attributes, custom_spec_value, endpoint_value, info_attrs,
    volume_value,
};

fn rule_type(preferred: bool) -> Type {
    let mut attrs = vec![
        ("key", Type::String),
        ("operator", Type::String),
        ("values", Type::list(Type::String)),
    ];
    if preferred {
        attrs.push(("weight", Type::Number));
    }
    Type::object(attrs)
}

/// (name, type, description) of the attributes a user configures on the resource, as data sources show them.
fn input_attributes() -> Vec<(&'static str, Type, &'static str)> {
    vec![
        ("id", Type::String, "Instance UUID."),
        ("name", Type::String, "Name."),
        ("description", Type::String, "Description."),
        (
            "flavor",
            Type::String,
            "Machine flavor; null with a custom spec.",
        ),
        (
            "custom_spec",
            Type::list(Type::object([
                ("cpu", Type::Number),
                ("memory", Type::Number),
                ("gpu", Type::Number),
            ])),
            "Custom resource spec (at most one element).",
        ),
        ("image_id", Type::String, "Image UUID."),
        (
            "volume",
            Type::list(Type::object([
                ("category", Type::String),
                ("ownership", Type::String),
                ("size", Type::Number),
                ("uri", Type::String),
                ("id", Type::String),
                ("mount_path", Type::String),
                ("status", Type::String),
            ])),
            "Root storage (one element).",
        ),
        (
            "endpoint",
            Type::list(Type::object([
                ("service", Type::String),
                ("key_pair_names", Type::set(Type::String)),
                ("allowed_access_ips", Type::set(Type::String)),
                ("uri", Type::String),
            ])),
            "Remote access endpoints.",
        ),
        (
            "affinity",
            Type::list(Type::object([
                ("required", Type::list(rule_type(false))),
                ("preferred", Type::list(rule_type(true))),
            ])),
            "Node affinity (at most one element).",
        ),
        ("pool_id", Type::String, "Dedicated pool."),
        ("workspace_id", Type::String, "Workspace."),
    ]
}

/// Every notebook attribute, computed, in a stable order.
pub fn data_source_attributes() -> Vec<Attribute> {
    let mut out: Vec<Attribute> = input_attributes()
        .into_iter()
        .map(|(name, ty, doc)| Attribute::new(name, ty).computed().description(doc))
        .collect();
    out.extend(computed_attributes());
    out
}

/// The object type of one notebook, for list data sources (`notebooks = list(object(...))`).
pub fn data_source_object_type() -> Type {
    Type::object(data_source_attributes().into_iter().map(|a| (a.name, a.ty)))
}

/// One notebook's value for [`data_source_object_type`] (and the attributes of [`data_source_attributes`]).
pub fn data_source_value(m: &NotebookModel) -> Value {
    let s = |v: &Option<String>| v.as_ref().map_or(Value::Null, |s| Value::string(s.clone()));
    let mut attrs: Vec<(&str, Value)> = vec![
        ("id", s(&m.id)),
        ("name", Value::string(m.name.clone())),
        ("description", s(&m.description)),
        ("flavor", s(&m.flavor)),
        (
            "custom_spec",
            Value::list(m.custom_spec.iter().map(custom_spec_value)),
        ),
        ("image_id", Value::string(m.image_id.clone())),
        ("volume", Value::list([volume_value(&m.volume)])),
        (
            "endpoint",
            Value::list(m.endpoints.iter().map(endpoint_value)),
        ),
        (
            "affinity",
            Value::list(m.affinity.iter().map(affinity_value)),
        ),
        ("pool_id", s(&m.pool_id)),
        ("workspace_id", Value::string(m.workspace_id.clone())),
    ];
    attrs.extend(info_attrs(&m.info));
    Value::object(attrs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::NotebookResp;

    #[test]
    fn value_conforms_to_the_type_and_names_match() {
        let resp: NotebookResp = serde_json::from_value(serde_json::json!({
            "id": "1e5bd3b4-1ce0-4bbb-ba4a-8b18b6a8f5c6", "name": "nb", "status": "RUNNING",
            "custom_spec": {"cpu": 2.0, "memory": 4096.0, "gpu": 1.0},
            "volume": {"capacity": 5, "category": "EVS", "ownership": "MANAGED"},
            "endpoints": [{"service": "SSH", "key_pair_names": ["kp"], "allowed_access_ips": ["1.2.3.4"]}],
            "affinity": {"required_during_scheduling_ignored_during_execution": [{"key": "k", "operator": "Exists", "values": []}],
                         "preferred_during_scheduling_ignored_during_execution": [{"key": "g", "operator": "In", "values": ["t4"], "weight": 3}]},
            "run_user": {"uid": 1000}, "lease": {"enable": true}, "user": {"id": "u"},
            "action_progress": [{"step": 1, "status": "COMPLETED"}], "billing_items": ["STORAGE"]
        }))
        .unwrap();
        let v = data_source_value(&NotebookModel::from_resp(&resp, false));
        assert_eq!(v.check_type(&data_source_object_type()), Ok(()));
        let names: Vec<String> = data_source_attributes()
            .into_iter()
            .map(|a| a.name)
            .collect();
        let keys: Vec<String> = v.entries().unwrap().keys().map(|k| k.to_string()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(sorted, keys);
        assert!(data_source_attributes()
            .iter()
            .all(|a| a.computed && !a.optional && !a.required));
        assert!(data_source_attributes()
            .iter()
            .any(|a| a.name == "token" && a.sensitive));
    }
}
