/** Menu items other areas add under "Workship ML" (one onOpen builds the whole menu). */
import type { MenuContribution } from './annotation/menu.ts';
import { kpiMenuItems } from './kpi/globals.ts';
import { experimentsMenuItems } from './experiments/globals.ts';

function items(list: () => { name: string; functionName: string }[]): MenuContribution {
  return (menu) => {
    for (const item of list()) menu.addItem(item.name, item.functionName);
  };
}

export const menuContributions: MenuContribution[] = [items(kpiMenuItems), items(experimentsMenuItems)];
