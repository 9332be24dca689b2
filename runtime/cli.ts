import { runCli } from "./common/cli";
import { registerLocal } from "./local/command";
import { registerShip } from "./ship/command";
import { registerSink } from "./sink/command";

runCli("loglake runtime programs", [registerShip, registerSink, registerLocal]);
