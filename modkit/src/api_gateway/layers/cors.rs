//! CORS from config, checked at start-up: a policy the CORS layer would refuse to serve
//! is a configuration error, never a panic on the first request.

use axum::http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowHeaders, AllowMethods, AllowOrigin, CorsLayer};

use crate::api_gateway::{ApiGatewayError, CorsConfig};

const ANY: &str = "*";

/// The layer `config` describes.
pub(crate) fn layer(config: &CorsConfig) -> Result<CorsLayer, ApiGatewayError> {
    let invalid = |reason: String| ApiGatewayError::Cors { reason };
    if config.allowed_origins.is_empty() {
        return Err(invalid(
            "`allowed_origins` is empty; list the origins, or `*` for any".to_owned(),
        ));
    }
    let wildcard = |list: &[String]| list.iter().any(|item| item == ANY);
    if config.allow_credentials {
        for (key, list) in [
            ("allowed_origins", &config.allowed_origins),
            ("allowed_methods", &config.allowed_methods),
            ("allowed_headers", &config.allowed_headers),
        ] {
            if wildcard(list) {
                return Err(invalid(format!(
                    "`allow_credentials` cannot be combined with `*` in `{key}`; list the allowed values"
                )));
            }
        }
    }

    let origins = if wildcard(&config.allowed_origins) {
        only_wildcard("allowed_origins", &config.allowed_origins)?;
        AllowOrigin::any()
    } else {
        let origins = config
            .allowed_origins
            .iter()
            .map(|origin| {
                let valid = (origin.starts_with("http://") || origin.starts_with("https://"))
                    && !origin.ends_with('/');
                HeaderValue::from_str(origin).ok().filter(|_| valid).ok_or_else(|| {
                    invalid(format!(
                        "`{origin}` in `allowed_origins` is not an origin such as `https://app.example.com`"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        AllowOrigin::list(origins)
    };
    let methods = if wildcard(&config.allowed_methods) {
        only_wildcard("allowed_methods", &config.allowed_methods)?;
        AllowMethods::any()
    } else {
        let methods = config
            .allowed_methods
            .iter()
            .map(|method| {
                Method::from_bytes(method.to_ascii_uppercase().as_bytes()).map_err(|_| {
                    invalid(format!(
                        "`{method}` in `allowed_methods` is not an HTTP method"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        AllowMethods::list(methods)
    };
    let headers = if wildcard(&config.allowed_headers) {
        only_wildcard("allowed_headers", &config.allowed_headers)?;
        AllowHeaders::any()
    } else {
        let headers = config
            .allowed_headers
            .iter()
            .map(|name| {
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    invalid(format!(
                        "`{name}` in `allowed_headers` is not a header name"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        AllowHeaders::list(headers)
    };

    let mut layer = CorsLayer::new()
        .allow_origin(origins)
        .allow_methods(methods)
        .allow_headers(headers)
        .allow_credentials(config.allow_credentials);
    if let Some(max_age) = config.max_age {
        layer = layer.max_age(max_age);
    }
    Ok(layer)
}

fn only_wildcard(key: &str, list: &[String]) -> Result<(), ApiGatewayError> {
    if list.len() == 1 {
        Ok(())
    } else {
        Err(ApiGatewayError::Cors {
            reason: format!("`*` in `{key}` must be its only entry"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(origins: &[&str], credentials: bool) -> CorsConfig {
        CorsConfig {
            allowed_origins: origins.iter().map(|o| (*o).to_owned()).collect(),
            allow_credentials: credentials,
            ..CorsConfig::default()
        }
    }

    #[test]
    fn credentials_with_any_origin_is_refused_naming_both() {
        let error = layer(&config(&["*"], true)).unwrap_err().to_string();
        assert!(error.contains("`allow_credentials`"), "{error}");
        assert!(error.contains("`allowed_origins`"), "{error}");
    }

    #[test]
    fn bad_origins_are_named() {
        let error = layer(&config(&["app.example.com"], false))
            .unwrap_err()
            .to_string();
        assert!(error.contains("`app.example.com`"), "{error}");
        assert!(layer(&config(&[], false)).is_err());
    }

    #[test]
    fn a_listed_origin_with_credentials_is_fine() {
        assert!(layer(&config(&["https://app.example.com"], true)).is_ok());
        assert!(layer(&config(&["*"], false)).is_ok());
    }
}
