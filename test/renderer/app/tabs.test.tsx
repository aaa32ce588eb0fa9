import { Tabs, tabPanelProps, useTabs } from '@renderer/components';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';

type Id = 'one' | 'two' | 'three';
const TABS = [
  { id: 'one', label: 'One' },
  { id: 'two', label: 'Two' },
  { id: 'three', label: 'Three' },
] as const;

function Harness() {
  const [tab, setTab] = useState<Id>('one');
  const ids = useTabs<Id>();
  return (
    <>
      <button type="button">before</button>
      <Tabs label="Numbers" tabs={TABS} selected={tab} onSelect={setTab} ids={ids} />
      <div {...tabPanelProps(ids, tab)}>panel of {tab}</div>
    </>
  );
}

const selected = () => screen.getAllByRole('tab').filter((t) => t.getAttribute('aria-selected') === 'true');

describe('Tabs', () => {
  it('is one stop in the Tab order, on the selected tab, and its panel is labelled by that tab', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    expect(screen.getByRole('tablist', { name: 'Numbers' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'before' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'One' }));
    await user.tab();
    // the panel is next: the other tabs are reached with the arrow keys, not Tab
    expect(document.activeElement).toBe(screen.getByRole('tabpanel', { name: 'One' }));
    expect(screen.getAllByRole('tab').map((t) => t.tabIndex)).toEqual([0, -1, -1]);
  });

  it('moves and selects with the arrow keys (wrapping), Home and End', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('tab', { name: 'One' }));
    await user.keyboard('{ArrowRight}');
    expect(selected().map((t) => t.textContent)).toEqual(['Two']);
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Two' }));
    expect(screen.getByRole('tabpanel').textContent).toBe('panel of two');
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(selected()[0]?.textContent).toBe('One');
    await user.keyboard('{ArrowLeft}');
    expect(selected()[0]?.textContent).toBe('Three');
    await user.keyboard('{Home}');
    expect(selected()[0]?.textContent).toBe('One');
    await user.keyboard('{End}');
    expect(selected()[0]?.textContent).toBe('Three');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Three' }));
    expect(screen.getByRole('tabpanel', { name: 'Three' }).textContent).toBe('panel of three');
  });

  it('leaves other keys and modified arrows alone', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('tab', { name: 'Two' }));
    await user.keyboard('{ArrowDown}{Alt>}{ArrowRight}{/Alt}{Control>}{ArrowLeft}{/Control}');
    expect(selected()[0]?.textContent).toBe('Two');
  });
});
