export { parseStatement, type Statement } from "./parser.js";
