//! Query parameters of the list, start and lease operations, rendered as un-encoded (key, value) pairs for the
//! signer (which sorts and encodes them) and parseable by the emulator.

use serde::{Deserialize, Serialize};

/// Un-encoded query pairs, in any order.
pub type QueryPairs = Vec<(String, String)>;

/// Renders a query struct as pairs; unset fields are left out.
pub trait ToQuery {
    fn to_query(&self) -> QueryPairs;
}

struct Pairs(QueryPairs);

impl Pairs {
    fn new() -> Self {
        Pairs(Vec::new())
    }
    fn opt<T: ToString>(mut self, key: &str, v: &Option<T>) -> Self {
        if let Some(v) = v {
            self.0.push((key.to_string(), v.to_string()));
        }
        self
    }
}

/// Filters of `GET /notebooks` and `GET /notebooks/all` (§2.3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotebookListQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// 10, 20 or 50.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    /// Fuzzy match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flavor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// `COMPUTE`, `STORAGE` or `ALL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing: Option<String>,
    /// `k1|v1,k2|v2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub swr_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_key: Option<String>,
    /// `ASC` or `DESC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_dir: Option<String>,
}

impl ToQuery for NotebookListQuery {
    fn to_query(&self) -> QueryPairs {
        Pairs::new()
            .opt("feature", &self.feature)
            .opt("limit", &self.limit)
            .opt("offset", &self.offset)
            .opt("name", &self.name)
            .opt("id", &self.id)
            .opt("status", &self.status)
            .opt("flavor", &self.flavor)
            .opt("image_id", &self.image_id)
            .opt("pool_id", &self.pool_id)
            .opt("pool_name", &self.pool_name)
            .opt("workspace_id", &self.workspace_id)
            .opt("owner", &self.owner)
            .opt("billing", &self.billing)
            .opt("tags", &self.tags)
            .opt("swr_path", &self.swr_path)
            .opt("description", &self.description)
            .opt("username", &self.username)
            .opt("ip", &self.ip)
            .opt("sort_key", &self.sort_key)
            .opt("sort_dir", &self.sort_dir)
            .0
    }
}

/// Filters of `GET /notebooks/flavors` (§2.9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlavorListQuery {
    /// `CPU`, `GPU` or `ASCEND`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `MANAGED` or `DEDICATED`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flavor_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_dir: Option<String>,
}

impl ToQuery for FlavorListQuery {
    fn to_query(&self) -> QueryPairs {
        Pairs::new()
            .opt("category", &self.category)
            .opt("type", &self.r#type)
            .opt("feature", &self.feature)
            .opt("flavor_type", &self.flavor_type)
            .opt("limit", &self.limit)
            .opt("offset", &self.offset)
            .opt("sort_key", &self.sort_key)
            .opt("sort_dir", &self.sort_dir)
            .0
    }
}

/// Paging of `GET /notebooks/{id}/flavors` (§2.10).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwitchableFlavorQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_dir: Option<String>,
}

impl ToQuery for SwitchableFlavorQuery {
    fn to_query(&self) -> QueryPairs {
        Pairs::new()
            .opt("limit", &self.limit)
            .opt("offset", &self.offset)
            .opt("sort_key", &self.sort_key)
            .opt("sort_dir", &self.sort_dir)
            .0
    }
}

/// Filters of `GET /images` (§2.11).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageListQuery {
    /// Default 200.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Default `true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_fuzzy_match: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `BUILD_IN` (default) or `DEDICATED`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_dir: Option<String>,
}

impl ToQuery for ImageListQuery {
    fn to_query(&self) -> QueryPairs {
        Pairs::new()
            .opt("limit", &self.limit)
            .opt("offset", &self.offset)
            .opt("name", &self.name)
            .opt("name_fuzzy_match", &self.name_fuzzy_match)
            .opt("namespace", &self.namespace)
            .opt("type", &self.r#type)
            .opt("service_type", &self.service_type)
            .opt("workspace_id", &self.workspace_id)
            .opt("show_name", &self.show_name)
            .opt("show_tag", &self.show_tag)
            .opt("sort_key", &self.sort_key)
            .opt("sort_dir", &self.sort_dir)
            .0
    }
}

/// `POST /notebooks/{id}/start` query (§2.7).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartQuery {
    /// Ms before auto-stop: 3 600 000–259 200 000; the official provider sends `-1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    /// `TIMING` (default) or `IDLE`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
}

impl ToQuery for StartQuery {
    fn to_query(&self) -> QueryPairs {
        Pairs::new()
            .opt("duration", &self.duration)
            .opt("type", &self.r#type)
            .0
    }
}

/// `PATCH /notebooks/{id}/lease` query (§2.14): a `duration` here overrides the body and forces `TIMING`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseRenewQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
}

impl ToQuery for LeaseRenewQuery {
    fn to_query(&self) -> QueryPairs {
        Pairs::new().opt("duration", &self.duration).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_only_set_fields() {
        let q = NotebookListQuery {
            limit: Some(50),
            offset: Some(100),
            name: Some("my nb".into()),
            status: Some("RUNNING".into()),
            ..Default::default()
        };
        assert_eq!(
            q.to_query(),
            vec![
                ("limit".to_string(), "50".to_string()),
                ("offset".into(), "100".into()),
                ("name".into(), "my nb".into()),
                ("status".into(), "RUNNING".into()),
            ]
        );
        assert!(NotebookListQuery::default().to_query().is_empty());
        let s = StartQuery {
            duration: Some(-1),
            r#type: Some("IDLE".into()),
        };
        assert_eq!(
            s.to_query(),
            vec![
                ("duration".to_string(), "-1".to_string()),
                ("type".into(), "IDLE".into())
            ]
        );
        let i = ImageListQuery {
            name_fuzzy_match: Some(false),
            r#type: Some("DEDICATED".into()),
            ..Default::default()
        };
        assert_eq!(
            i.to_query(),
            vec![
                ("name_fuzzy_match".to_string(), "false".to_string()),
                ("type".into(), "DEDICATED".into())
            ]
        );
    }

    #[test]
    fn every_field_of_each_query_renders() {
        let f = FlavorListQuery {
            category: Some("GPU".into()),
            r#type: Some("MANAGED".into()),
            feature: Some("NOTEBOOK".into()),
            flavor_type: Some("ASCEND_SNT9".into()),
            limit: Some(1),
            offset: Some(2),
            sort_key: Some("id".into()),
            sort_dir: Some("ASC".into()),
        };
        let keys: Vec<String> = f.to_query().into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "category",
                "type",
                "feature",
                "flavor_type",
                "limit",
                "offset",
                "sort_key",
                "sort_dir"
            ]
        );
    }
}
