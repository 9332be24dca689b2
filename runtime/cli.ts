import { Command } from "commander";
import { registerShip } from "./ship/command";
import { registerSink } from "./sink/command";

const program = new Command("loglake").description("loglake runtime programs").showHelpAfterError();
registerShip(program);
registerSink(program);

program.parseAsync(process.argv).catch((error: Error) => {
  process.stderr.write(`loglake: ${error.message}\n`);
  process.exitCode = 1;
});
