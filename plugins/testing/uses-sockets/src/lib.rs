//! A test plugin that tries to open a TCP connection: its component imports `wasi:sockets`,
//! which the host links denying every use, so the connect fails.

use hookshape_sdk::json::Value;
use hookshape_sdk::{Event, Outcome, Plugin};

pub struct UsesSockets;

impl Plugin for UsesSockets {
    fn configure(_config: Value) -> Result<Self, String> {
        Ok(UsesSockets)
    }

    fn transform(&self, _event: Event) -> Result<Outcome, String> {
        std::net::TcpStream::connect("127.0.0.1:9").map_err(|e| e.to_string())?;
        Ok(Outcome::Drop)
    }
}

hookshape_sdk::export_plugin!(UsesSockets);
