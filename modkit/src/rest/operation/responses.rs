//! The responses an [`OperationBuilder`] documents: JSON, plain text, HTML, empty, and
//! RFC 9457 problems.

use axum::http::StatusCode;
use utoipa::openapi::{ContentBuilder, ResponseBuilder};
use utoipa::{PartialSchema, ToSchema};

use super::{OperationBuilder, WithResponse};
use crate::rest::problem::{PROBLEM_CONTENT_TYPE, Problem};

/// The media type [`OperationBuilder::text_response`] documents.
const TEXT_CONTENT_TYPE: &str = "text/plain";

/// The media type [`OperationBuilder::html_response`] documents.
const HTML_CONTENT_TYPE: &str = "text/html";

impl<H, R, S> OperationBuilder<H, R, S> {
    /// Documents an error response: an RFC 9457 [`Problem`] with `status`.
    pub fn problem_response(mut self, status: StatusCode, description: impl Into<String>) -> Self {
        let schema = self.schema_ref::<Problem>();
        self.operation = self.operation.response(
            status.as_u16().to_string(),
            ResponseBuilder::new().description(description).content(
                PROBLEM_CONTENT_TYPE,
                ContentBuilder::new().schema(Some(schema)).build(),
            ),
        );
        self
    }

    /// Documents a success response with a JSON body of schema `T` (`Vec<Item>`: an array
    /// of `Item`s; see [the type's documentation](Self) for how types become schemas).
    pub fn json_response<T: ToSchema>(
        mut self,
        status: StatusCode,
        description: impl Into<String>,
    ) -> OperationBuilder<H, WithResponse, S> {
        let schema = self.schema_ref::<T>();
        self.operation = self.operation.response(
            status.as_u16().to_string(),
            ResponseBuilder::new().description(description).content(
                "application/json",
                ContentBuilder::new().schema(Some(schema)).build(),
            ),
        );
        self.responded()
    }

    /// Documents a success response with a `text/plain` body (a string): what a handler
    /// returning `String` or `&'static str` answers.
    ///
    /// ```
    /// use modkit::axum::{Router, http::StatusCode};
    /// use modkit::rest::{OpenApiDocument, OperationBuilder};
    ///
    /// let openapi = OpenApiDocument::new("demo", "1.0.0");
    /// let _router: Router = OperationBuilder::get("/v1/version")
    ///     .operation_id("version.get")
    ///     .handler(|| async { "1.4.2" })
    ///     .text_response(StatusCode::OK, "The version, as plain text")
    ///     .register(Router::new(), &openapi);
    ///
    /// let document = openapi.render();
    /// let response = &document.paths.paths["/v1/version"].get.as_ref().unwrap().responses;
    /// let json = modkit::serde_json::to_value(response).unwrap();
    /// assert_eq!(json["200"]["content"]["text/plain"]["schema"]["type"], "string");
    /// ```
    pub fn text_response(
        self,
        status: StatusCode,
        description: impl Into<String>,
    ) -> OperationBuilder<H, WithResponse, S> {
        self.string_response(status, description, TEXT_CONTENT_TYPE)
    }

    /// Documents a success response with a `text/html` body (a string): what a handler
    /// returning [`axum::response::Html`] answers.
    ///
    /// ```
    /// use modkit::axum::{Router, http::StatusCode, response::Html};
    /// use modkit::rest::{OpenApiDocument, OperationBuilder};
    ///
    /// let openapi = OpenApiDocument::new("demo", "1.0.0");
    /// let _router: Router = OperationBuilder::get("/welcome")
    ///     .operation_id("welcome.get")
    ///     .handler(|| async { Html("<h1>Welcome</h1>") })
    ///     .html_response(StatusCode::OK, "The welcome page")
    ///     .register(Router::new(), &openapi);
    ///
    /// let document = openapi.render();
    /// let response = &document.paths.paths["/welcome"].get.as_ref().unwrap().responses;
    /// let json = modkit::serde_json::to_value(response).unwrap();
    /// assert_eq!(json["200"]["content"]["text/html"]["schema"]["type"], "string");
    /// ```
    pub fn html_response(
        self,
        status: StatusCode,
        description: impl Into<String>,
    ) -> OperationBuilder<H, WithResponse, S> {
        self.string_response(status, description, HTML_CONTENT_TYPE)
    }

    fn string_response(
        mut self,
        status: StatusCode,
        description: impl Into<String>,
        content_type: &str,
    ) -> OperationBuilder<H, WithResponse, S> {
        self.operation = self.operation.response(
            status.as_u16().to_string(),
            ResponseBuilder::new().description(description).content(
                content_type,
                ContentBuilder::new().schema(Some(String::schema())).build(),
            ),
        );
        self.responded()
    }

    /// Documents a success response without a body (`204 No Content`, say).
    pub fn empty_response(
        mut self,
        status: StatusCode,
        description: impl Into<String>,
    ) -> OperationBuilder<H, WithResponse, S> {
        self.operation = self.operation.response(
            status.as_u16().to_string(),
            ResponseBuilder::new().description(description),
        );
        self.responded()
    }
}
