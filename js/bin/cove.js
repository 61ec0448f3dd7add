#!/usr/bin/env node
// The `cove` command (package.json "bin"); everything lives in js/src/cli/.
import { main } from "../src/cli/main.js";

main(process.argv.slice(2));
