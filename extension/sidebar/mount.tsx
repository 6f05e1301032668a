import { createRoot } from 'react-dom/client';
import css from '../../shared/ui/panel/panel.css?inline';
import { loadActivePacks, loadSettings } from '../settings/settings';
import { SidebarApp } from './SidebarApp';
import { currentTabId } from './tab-context';
import { remotePlatformToken } from './remote-stores';

export async function mountSidebar(el: HTMLElement): Promise<void> {
  const style = document.createElement('style');
  style.textContent = `${css}\nhtml, body { margin: 0; background: #fff; }\n.hr-collapsed { height: 100vh; background: var(--hr-accent); }\n.hr-collapsed button { width: 100%; height: 48px; color: #fff; border: 0; background: transparent; font-size: 16px; padding: 0; }`;
  document.head.append(style);
  // First bound to its tab (whoami): the background answers the token only to that sidebar.
  const tabId = await currentTabId();
  const settings = await loadSettings({ secrets: remotePlatformToken });
  const { packs, problems } = await loadActivePacks(settings);
  document.documentElement.lang = settings.locale;
  createRoot(el).render(<SidebarApp tabId={tabId} settings={settings} packs={packs} packProblems={problems} />);
}
