import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from '../../src/main/app/menu';

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((i) => [...(i.role ? [String(i.role)] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])]);

function build(isDev: boolean, isMac = false) {
  const opened: string[] = [];
  const template = buildMenuTemplate({
    isDev,
    isMac,
    openDocs: () => opened.push('docs'),
    openSpec: () => opened.push('spec'),
  });
  return { template, opened };
}

describe('application menu', () => {
  it('has File (Quit), Edit (standard roles), View (zoom), Help', () => {
    const { template } = build(false);
    expect(template.map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'help']);
    expect(roles([template[0] as MenuItemConstructorOptions])).toEqual(['quit']);
    expect(roles([template[1] as MenuItemConstructorOptions])).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    expect(roles([template[2] as MenuItemConstructorOptions])).toEqual(
      expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut']),
    );
  });

  it('offers reload and the developer tools only in development', () => {
    const devOnly = ['reload', 'forceReload', 'toggleDevTools'];
    for (const r of devOnly) expect(roles(build(false).template)).not.toContain(r);
    expect(roles(build(true).template)).toEqual(expect.arrayContaining(devOnly));
  });

  it('Help items open the documentation outside the app', () => {
    const { template, opened } = build(false);
    const help = template.at(-1)?.submenu as MenuItemConstructorOptions[];
    for (const item of help) (item.click as () => void)();
    expect(opened).toEqual(['docs', 'spec']);
  });

  it('on macOS puts Quit in the app menu', () => {
    const { template } = build(false, true);
    expect(template[0]?.label).toBe('Hookbench');
    expect(roles([template[0] as MenuItemConstructorOptions])).toContain('quit');
  });
});
