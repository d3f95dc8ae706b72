//! ModelArts / API-gateway error values and their HTTP rendering (`{"error_code", "error_msg"}`).

use crate::api::ErrorBody;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// An error the emulator answers with. The message is what the real service would say, filled in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {code}: {msg}")]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub msg: String,
    /// Gateway errors (APIGW.*) carry the request id in the body as well as in the header.
    pub gateway: bool,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, msg: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            msg: msg.into(),
            gateway: code.starts_with("APIGW."),
        }
    }

    /// A plain ModelArts error: HTTP 400 with `ModelArts.<n>`.
    pub fn bad(code: &str, msg: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, msg)
    }

    /// The error body; gateway errors also name the request.
    pub fn body(&self, request_id: Option<&str>) -> Vec<u8> {
        let mut b = ErrorBody::new(self.code.clone(), self.msg.clone());
        if self.gateway {
            b.request_id = request_id.map(str::to_string);
        }
        // ErrorBody is three optional strings; serialising it cannot fail.
        serde_json::to_vec(&b).unwrap_or_default()
    }
}

impl IntoResponse for ApiError {
    /// The response carries the error as an extension so the gateway can journal the code and add the
    /// request id to gateway errors.
    fn into_response(self) -> Response {
        let body = self.body(None);
        let mut r = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
        r.extensions_mut().insert(self);
        r
    }
}

/// Constructors for every code the emulator uses, with the documented messages (notebook-api.md §6.3).
pub mod codes {
    use super::ApiError;
    use axum::http::StatusCode;

    pub fn signature_failed() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "APIGW.0301",
            "Incorrect IAM authentication information: verify aksk signature fail",
        )
    }
    pub fn unknown_ak() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "APIGW.0301",
            "Incorrect IAM authentication information: Get secretKey failed, ak not exist",
        )
    }
    pub fn no_credentials() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "APIGW.0301",
            "Incorrect IAM authentication information: x-auth-token not found",
        )
    }
    pub fn bad_token() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "APIGW.0301",
            "Incorrect IAM authentication information: decrypt token fail",
        )
    }
    pub fn unknown_route() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "APIGW.0101",
            "The API does not exist or has not been published in the environment.",
        )
    }
    pub fn project_mismatch() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "ModelArts.0210",
            "The project id in the request URL does not match the token.",
        )
    }
    pub fn not_found() -> ApiError {
        ApiError::bad("ModelArts.6309", "The instance does not exist.")
    }
    pub fn busy_or_target() -> ApiError {
        ApiError::bad(
            "ModelArts.6357",
            "The operation is not allowed because another operation is being performed on the instance or the instance is in the target state.",
        )
    }
    pub fn stop_before_delete() -> ApiError {
        ApiError::bad(
            "ModelArts.6304",
            "Please stop the instance before deleting.",
        )
    }
    pub fn starting() -> ApiError {
        ApiError::bad("ModelArts.6306", "The instance is starting.")
    }
    pub fn stopping() -> ApiError {
        ApiError::bad("ModelArts.6308", "The instance is stopping.")
    }
    pub fn frozen() -> ApiError {
        ApiError::bad(
            "ModelArts.6326",
            "The instance is frozen. Check whether your account is in arrears or contact technical support.",
        )
    }
    pub fn not_running() -> ApiError {
        ApiError::bad(
            "ModelArts.6327",
            "The instance is not in running. Please refresh the page and start it.",
        )
    }
    pub fn cannot_modify(status: &str, field: &str) -> ApiError {
        ApiError::bad(
            "ModelArts.6347",
            format!("When the instance is in the '{status}' status, the '{field}' parameter cannot be modified."),
        )
    }
    pub fn bad_payload(detail: &str) -> ApiError {
        ApiError::bad(
            "ModelArts.6400",
            format!("Invalid request payload {detail}, please check."),
        )
    }
    pub fn wrong_type(field: &str, ty: &str) -> ApiError {
        ApiError::bad(
            "ModelArts.6332",
            format!(
                "Incorrect parameter type. The '{field}' parameter must be of the '{ty}' type."
            ),
        )
    }
    pub fn forbidden_char(ch: char) -> ApiError {
        ApiError::bad(
            "ModelArts.6334",
            format!("Invalid value for name or description. The character {ch} is not allowed."),
        )
    }
    pub fn required(field: &str) -> ApiError {
        ApiError::bad(
            "ModelArts.6335",
            format!("'{field}' is a required property."),
        )
    }
    pub fn bad_value(field: &str) -> ApiError {
        ApiError::bad(
            "ModelArts.6336",
            format!("'{field}' property value is incorrect."),
        )
    }
    pub fn invalid_pair(a: &str, b: &str) -> ApiError {
        ApiError::bad(
            "ModelArts.0107",
            format!("The values of the request parameters ({a},{b}) are invalid."),
        )
    }
    pub fn evs_size(min: i64, max: i64) -> ApiError {
        ApiError::bad(
            "ModelArts.6331",
            format!("The evs volume size ranges from {min} GB to {max} GB."),
        )
    }
    pub fn flavor_unsupported() -> ApiError {
        ApiError::bad(
            "ModelArts.6323",
            "The flavor is not supported, please check it.",
        )
    }
    pub fn flavor_sold_out(flavor: &str) -> ApiError {
        ApiError::bad(
            "ModelArts.6329",
            format!("The flavor {flavor} is sold out, please try another flavor."),
        )
    }
    pub fn flavor_not_switchable(id: &str, flavor: &str) -> ApiError {
        ApiError::bad(
            "ModelArts.6792",
            format!("Instance {id} does not support to update flavor to {flavor}, please try another flavor."),
        )
    }
    pub fn image_not_found(id: &str) -> ApiError {
        ApiError::bad(
            "ModelArts.6797",
            format!("Specified image {id} cannot be found."),
        )
    }
    pub fn bad_sort(field: &str) -> ApiError {
        ApiError::bad(
            "ModelArts.6303",
            format!("The field {field} does not support sorting."),
        )
    }
    pub fn lease_in_past() -> ApiError {
        ApiError::bad(
            "ModelArts.6346",
            "The auto-stop timestamp must be in the future.",
        )
    }
    pub fn duration_out_of_range() -> ApiError {
        ApiError::bad(
            "ModelArts.6349",
            "The duration is out of range, it must be between 3600000 and 259200000.",
        )
    }
    pub fn codelab_exists() -> ApiError {
        ApiError::bad(
            "ModelArts.6302",
            "The number of instances has reached the maximum.",
        )
    }
}
