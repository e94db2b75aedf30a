// The public entry: start a Terrarium in-process, e.g. from a test suite.
export { startTerrarium, startWithConfig, VERSION, type Terrarium, type TerrariumOptions } from "./server.js";
export { parseConfig, type Config } from "./config.js";
