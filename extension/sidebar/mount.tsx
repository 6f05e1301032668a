import { createRoot } from 'react-dom/client';
import css from '../../shared/ui/panel/panel.css?inline';
import { loadSettings } from '../settings/settings';
import { SidebarApp } from './SidebarApp';
import { currentTabId } from './tab-context';

export async function mountSidebar(el: HTMLElement): Promise<void> {
  const style = document.createElement('style');
  style.textContent = `${css}\nhtml, body { margin: 0; background: #fff; }`;
  document.head.append(style);
  const [tabId, settings] = await Promise.all([currentTabId(), loadSettings()]);
  document.documentElement.lang = settings.locale;
  createRoot(el).render(<SidebarApp tabId={tabId} settings={settings} />);
}
