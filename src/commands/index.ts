import type { CscwsCommand } from './command.js';
import { configCommand } from './config-command.js';
import { demoCommand } from './demo-command.js';
import { devnodeCommand } from './devnode-command.js';
import { subscribeCommand } from './subscribe-command.js';
import { watchCommand } from './watch-command.js';

export const commandModules: readonly CscwsCommand[] = [subscribeCommand, watchCommand, devnodeCommand, demoCommand, configCommand];
