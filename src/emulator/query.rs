//! Query-string parsing and validation for the list operations (notebook-api.md §2.3, §2.9, §2.11).

use crate::api::NotebookStatus;
use crate::emulator::errors::{codes, ApiError};
use crate::emulator::model::{ListFilter, SORT_KEYS};
use percent_encoding::percent_decode_str;

/// Decoded query pairs in wire order. `+` stays `+` (the SDK encodes a space as `%20`).
#[derive(Debug, Clone, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (
                    percent_decode_str(k).decode_utf8_lossy().into_owned(),
                    percent_decode_str(v).decode_utf8_lossy().into_owned(),
                )
            })
            .collect();
        Query(pairs)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn string(&self, key: &str) -> Option<String> {
        self.get(key).map(str::to_string)
    }

    pub fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        self.get(key)
            .map(|v| v.trim().parse::<i64>().map_err(|_| codes::bad_value(key)))
            .transpose()
    }

    /// `offset`: a non-negative integer, default 0.
    pub fn offset(&self) -> Result<usize, ApiError> {
        match self.int("offset")? {
            None => Ok(0),
            Some(o) if o >= 0 => Ok(o as usize),
            Some(_) => Err(codes::bad_value("offset")),
        }
    }

    /// A positive `limit`, or `default`.
    pub fn positive_limit(&self, default: Option<usize>) -> Result<Option<usize>, ApiError> {
        match self.int("limit")? {
            None => Ok(default),
            Some(l) if l > 0 => Ok(Some(l as usize)),
            Some(_) => Err(codes::bad_value("limit")),
        }
    }

    fn sort(&self, allowed: &[&str]) -> Result<(Vec<String>, bool), ApiError> {
        let keys: Vec<String> = match self.get("sort_key") {
            Some(s) if s.len() > 128 => return Err(codes::bad_value("sort_key")),
            Some(s) => s
                .split(',')
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect(),
            None => Vec::new(),
        };
        if let Some(bad) = keys.iter().find(|k| !allowed.contains(&k.as_str())) {
            return Err(codes::bad_sort(bad));
        }
        let ascending = match self.get("sort_dir").map(str::to_ascii_uppercase).as_deref() {
            None | Some("DESC") => false,
            Some("ASC") => true,
            Some(_) => return Err(codes::bad_value("sort_dir")),
        };
        Ok((keys, ascending))
    }

    /// List notebooks: filters, page size 10/20/50 (default 10) and offset.
    pub fn notebook_list(&self) -> Result<(ListFilter, usize, usize), ApiError> {
        let limit = match self.int("limit")? {
            None => 10,
            Some(l @ (10 | 20 | 50)) => l as usize,
            Some(_) => return Err(codes::bad_value("limit")),
        };
        let offset = self.offset()?;
        let feature = self.string("feature").map(|f| f.to_ascii_uppercase());
        if feature
            .as_deref()
            .is_some_and(|f| f != "DEFAULT" && f != "NOTEBOOK")
        {
            return Err(codes::bad_value("feature"));
        }
        let status = self.string("status");
        if let Some(s) = &status {
            if matches!(NotebookStatus::parse(s), NotebookStatus::Other(_)) {
                return Err(codes::bad_value("status"));
            }
        }
        if self.get("name").is_some_and(|n| n.chars().count() > 128) {
            return Err(codes::bad_value("name"));
        }
        if let Some(b) = self.get("billing") {
            if !matches!(b, "COMPUTE" | "STORAGE" | "ALL") {
                return Err(codes::bad_value("billing"));
            }
        }
        let tags = match self.get("tags") {
            None => Vec::new(),
            Some(t) => parse_tags(t)?,
        };
        let (sort_keys, ascending) = self.sort(SORT_KEYS)?;
        let sort_keys = if sort_keys.is_empty() {
            vec!["create_at".to_string()]
        } else {
            sort_keys
        };
        let filter = ListFilter {
            feature,
            name: self.string("name"),
            id: self.string("id"),
            status,
            flavor: self.string("flavor"),
            image_id: self.string("image_id"),
            pool_id: self.string("pool_id"),
            pool_name: self.string("pool_name"),
            workspace_id: self.string("workspace_id"),
            owner: self.string("owner"),
            description: self.string("description"),
            username: self.string("username"),
            ip: self.string("ip"),
            swr_path: self.string("swr_path"),
            tags,
            sort_keys,
            ascending,
        };
        Ok((filter, offset, limit))
    }

    /// Sort keys and direction for flavor and image lists.
    pub fn sort_for(&self, allowed: &[&str]) -> Result<(Vec<String>, bool), ApiError> {
        self.sort(allowed)
    }
}

/// `k1|v1,k2|v2` with no empty parts.
fn parse_tags(t: &str) -> Result<Vec<(String, String)>, ApiError> {
    t.split(',')
        .map(|pair| match pair.split_once('|') {
            Some((k, v)) if !k.is_empty() && !v.contains('|') => Ok((k.to_string(), v.to_string())),
            _ => Err(codes::bad_value("tags")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_query_rules() {
        let (f, off, lim) = Query::parse(Some("limit=20&offset=40&name=my%20nb&sort_dir=ASC"))
            .notebook_list()
            .unwrap();
        assert_eq!((off, lim), (40, 20));
        assert_eq!(f.name.as_deref(), Some("my nb"));
        assert!(f.ascending);
        assert_eq!(
            Query::parse(Some("limit=15"))
                .notebook_list()
                .unwrap_err()
                .code,
            "ModelArts.6336"
        );
        assert_eq!(
            Query::parse(Some("sort_key=token"))
                .notebook_list()
                .unwrap_err()
                .code,
            "ModelArts.6303"
        );
        assert_eq!(
            Query::parse(Some("status=BOGUS"))
                .notebook_list()
                .unwrap_err()
                .code,
            "ModelArts.6336"
        );
        assert_eq!(
            Query::parse(Some("offset=-1"))
                .notebook_list()
                .unwrap_err()
                .code,
            "ModelArts.6336"
        );
        assert_eq!(
            Query::parse(Some("tags=a|1,,b|2"))
                .notebook_list()
                .unwrap_err()
                .code,
            "ModelArts.6336"
        );
        let (f, _, _) = Query::parse(Some("tags=a|1,b|2")).notebook_list().unwrap();
        assert_eq!(
            f.tags,
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
    }
}
