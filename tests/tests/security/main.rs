//! Security: bearer-token authentication and authorization in the real `api-gateway` over
//! loopback HTTP, with keys generated at run time and served from a file, a JWKS URL or an
//! OIDC discovery document on loopback; the caller's `SecurityContext` in handlers and in
//! code they reach through the ClientHub; the rate limit keyed on the caller; the OpenAPI
//! document and the docs page's Authorize button.
//!
//! One behaviour per module, named as a sentence, all in one test binary.

mod every_bad_token_is_answered_401_before_the_handler_runs;
mod keys_from_a_url_or_discovery_rotate_without_a_restart;
mod public_routes_docs_and_the_openapi_document_follow_the_config;
mod roles_from_a_nested_claim_gate_operations_with_403;
mod the_docs_page_authorize_button_sends_the_token;
mod the_rate_limit_keys_on_the_subject_or_the_trusted_client_address;
mod valid_tokens_of_each_algorithm_reach_the_handler_with_their_context;
