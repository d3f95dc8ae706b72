//! go-plugin's own services: GRPCController (Shutdown), GRPCStdio and GRPCBroker (both idle streams).

use std::pin::Pin;

use futures::Stream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

use super::proto::plugin as pb;

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// A stream that yields nothing and ends when the server shuts down, so graceful shutdown is not held up.
fn silent_until<T: Send + 'static>(shutdown: CancellationToken) -> BoxStream<T> {
    Box::pin(futures::stream::unfold(shutdown, |token| async move {
        token.cancelled().await;
        None::<(Result<T, Status>, CancellationToken)>
    }))
}

/// Terraform calls Shutdown at the end of every graph walk and kills the process 2 s later if it is still
/// there; replying first and then stopping lets the reply reach Terraform before the connection closes.
pub struct Controller {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl pb::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(&self, _request: Request<pb::Empty>) -> Result<Response<pb::Empty>, Status> {
        crate::log_debug!(module: "server", "shutdown requested");
        self.shutdown.cancel();
        Ok(Response::new(pb::Empty {}))
    }
}

/// go-plugin forwards a Go plugin's stdout/stderr through this stream; we log to stderr directly (go-plugin
/// reads that too), so the stream stays silent.
pub struct Stdio {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl pb::grpc_stdio_server::GrpcStdio for Stdio {
    type StreamStdioStream = BoxStream<pb::StdioData>;

    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(silent_until(self.shutdown.clone())))
    }
}

/// The broker opens extra connections on request; this provider never asks for one, so it only keeps the
/// stream open, as Terraform's client opens it in the background on connect.
pub struct Broker {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl pb::grpc_broker_server::GrpcBroker for Broker {
    type StartStreamStream = BoxStream<pb::ConnInfo>;

    async fn start_stream(
        &self,
        _request: Request<Streaming<pb::ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        Ok(Response::new(silent_until(self.shutdown.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;
    use pb::grpc_controller_server::GrpcController;
    use pb::grpc_stdio_server::GrpcStdio;

    #[tokio::test]
    async fn shutdown_cancels_and_ends_stdio() {
        let token = CancellationToken::new();
        let stdio = Stdio {
            shutdown: token.clone(),
        };
        let mut stream = stdio
            .stream_stdio(Request::new(()))
            .await
            .unwrap()
            .into_inner();
        // Nothing is produced while serving.
        assert!(futures::FutureExt::now_or_never(stream.next()).is_none());
        let controller = Controller {
            shutdown: token.clone(),
        };
        controller
            .shutdown(Request::new(pb::Empty {}))
            .await
            .unwrap();
        assert!(token.is_cancelled());
        assert!(stream.next().await.is_none(), "stream ends at shutdown");
    }
}
