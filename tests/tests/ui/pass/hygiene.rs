//! Generated code names nothing but `::core`, `::std` and `::modkit::__private`, so a user
//! crate needs no dependency but `modkit`: it compiles in a module with no prelude, where
//! every name it could pick up by accident is shadowed.

#[no_implicit_prelude]
#[expect(
    dead_code,
    reason = "the shadows exist only to be picked up by mistake"
)]
mod hostile {
    mod anyhow {}
    mod async_trait {}
    mod inventory {}
    mod tokio_util {}
    mod core {}
    mod std {}
    struct Arc;
    struct Box;
    struct Duration;
    struct Option;
    struct Result;
    struct Some;
    struct Ok;
    struct Self_;
    struct CancellationToken;
    struct ReadySignal;
    struct RunFuture;
    trait Default {}
    trait Module {}
    trait Runnable {}
    trait ModuleDeclaration {}
    fn drop() {}
    fn run_future() {}
    fn into_anyhow() {}

    pub trait HostileApi: ::core::marker::Send + ::core::marker::Sync {}

    #[derive(::core::default::Default)]
    #[::modkit::module(
        name = "hostile",
        deps = [],
        capabilities = [system, stateful],
        client = HostileApi,
        lifecycle(entry = "serve", stop_timeout = "1s", await_ready),
    )]
    pub struct Hostile;

    impl Hostile {
        async fn serve(
            &self,
            cancel: ::modkit::CancellationToken,
            ready: ::modkit::ReadySignal,
        ) -> ::core::result::Result<(), ::std::io::Error> {
            ready.notify();
            cancel.cancelled().await;
            ::core::result::Result::Ok(())
        }
    }

    #[::modkit::module(name = "built", ctor = Built::new())]
    pub struct Built;

    impl Built {
        fn new() -> Self {
            Self
        }
    }

    #[::modkit::lifecycle(stop_timeout = "2s")]
    impl Built {
        async fn run(
            &self,
            _cancel: ::modkit::CancellationToken,
        ) -> ::core::result::Result<(), ::std::io::Error> {
            ::core::result::Result::Ok(())
        }
    }
}

#[modkit::async_trait]
impl modkit::Module for hostile::Hostile {
    async fn init(&self, _ctx: &modkit::ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl modkit::SystemCapability for hostile::Hostile {}

#[modkit::async_trait]
impl modkit::Module for hostile::Built {
    async fn init(&self, _ctx: &modkit::ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {
    let registry = modkit::ModuleRegistry::discover_and_build().expect("the registry builds");
    // Two modules declared here, plus the built-in `api-gateway` and `grpc-hub` that
    // linking `modkit` brings.
    assert_eq!(registry.len(), 4);
}
