import { Command } from "commander";
import { registerLocal } from "./local/command";
import { registerShip } from "./ship/command";
import { registerSink } from "./sink/command";

const program = new Command("loglake").description("loglake runtime programs").showHelpAfterError();
registerShip(program);
registerSink(program);
registerLocal(program);

program.parseAsync(process.argv).catch((error: Error) => {
  process.stderr.write(`loglake: ${error.message}\n`);
  process.exitCode = 1;
});
