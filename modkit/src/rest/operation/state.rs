//! The type states of [`OperationBuilder`](super::OperationBuilder): whether it has a
//! handler and whether it has a response. `register` exists only once it has both.

use axum::routing::MethodRouter;

/// Not given yet (the handler, or every response).
#[derive(Debug, Clone, Copy, Default)]
pub struct Missing;

/// The operation's handler, as a method router for its one method.
#[derive(Debug)]
pub struct WithHandler<S>(pub(super) MethodRouter<S>);

/// At least one success response is documented.
#[derive(Debug, Clone, Copy, Default)]
pub struct WithResponse;

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Missing {}
    impl<S> Sealed for super::WithHandler<S> {}
    impl Sealed for super::WithResponse {}
}

/// Implemented only by [`WithHandler`]: the operation has a handler.
#[diagnostic::on_unimplemented(
    message = "this operation has no handler",
    label = "`.handler(..)` was not called on this builder",
    note = "call `.handler(your_handler)` before `.register(router, openapi)`"
)]
pub trait HasHandler<S>: sealed::Sealed {
    /// The handler's method router.
    fn into_method_router(self) -> MethodRouter<S>;
}

impl<S> HasHandler<S> for WithHandler<S> {
    fn into_method_router(self) -> MethodRouter<S> {
        self.0
    }
}

/// Implemented only by [`WithResponse`]: the operation documents a success response.
#[diagnostic::on_unimplemented(
    message = "this operation documents no response",
    label = "no success response was added to this builder",
    note = "call `.json_response::<T>(status, description)`, `.text_response(status, description)`, `.html_response(status, description)` or `.empty_response(status, description)` before `.register(router, openapi)`"
)]
pub trait HasResponse: sealed::Sealed {}

impl HasResponse for WithResponse {}
