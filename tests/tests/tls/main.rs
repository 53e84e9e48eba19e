//! TLS: the `api-gateway` over HTTPS (HTTP/1.1 and HTTP/2 by ALPN, checked with curl) and
//! over cleartext HTTP/2 with prior knowledge; certificates reloaded without a restart;
//! the gRPC hub over mutual TLS; bad certificate files failing start-up by name.
//!
//! One behaviour per module, named as a sentence, all in one test binary.

mod a_replaced_certificate_is_presented_without_a_restart;
mod bad_tls_files_fail_start_up_naming_the_key_and_the_file;
mod curl_speaks_http1_and_http2_over_tls_and_h2c_in_the_clear;
mod the_grpc_hub_requires_client_certificates_under_mutual_tls;
mod the_oop_calculator_answers_over_mutual_tls_with_its_host;
