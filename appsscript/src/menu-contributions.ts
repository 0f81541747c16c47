/** Menu items other areas add under "Workship ML" (one onOpen builds the whole menu). */
import type { MenuContribution } from './annotation/menu.ts';

export const menuContributions: MenuContribution[] = [];
