//! What every call through a [`RemoteService`](super::RemoteService) carries in its gRPC
//! metadata besides the request: the caller's trace context when tracing is on.

use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

/// The channel a [`RemoteService`](super::RemoteService) call is made on: a connection to
/// one live instance, whose requests get [`Outgoing`]'s metadata. Generated clients take it
/// as they take a plain `Channel` (`CalculatorClient::new(channel)`).
pub type RemoteChannel = InterceptedService<Channel, Outgoing>;

/// Adds the outgoing metadata to each request: the W3C `traceparent` and `tracestate` of
/// the current span when tracing is on, nothing otherwise.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outgoing;

impl Interceptor for Outgoing {
    fn call(&mut self, request: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        #[cfg(feature = "otel")]
        if crate::telemetry::otel::enabled() {
            let mut request = request;
            let metadata = std::mem::take(request.metadata_mut());
            let mut headers = metadata.into_headers();
            crate::telemetry::otel::inject_current(&mut headers);
            *request.metadata_mut() = tonic::metadata::MetadataMap::from_headers(headers);
            return Ok(request);
        }
        Ok(request)
    }
}

/// `channel` with the outgoing metadata added to each request.
pub(super) fn outgoing(channel: Channel) -> RemoteChannel {
    InterceptedService::new(channel, Outgoing)
}
