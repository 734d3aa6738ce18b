import { main } from './cli_main.js';
main(process.argv.slice(2)).then((code) => process.exit(code));
