// The lake writer image's program: `loglake sink` alone, so the bundle carries neither the shipper's
// input handling nor `loglake local` and its emulators.
import { runCli } from "../common/cli";
import { registerSink } from "./command";

runCli("loglake's lake writer", [registerSink]);
