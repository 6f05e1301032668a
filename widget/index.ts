/** Huren widget: the same panel for hospitals' in-house EMRs. See docs/widget.md. */
import { defineHurenPanel } from './element';

export { mount, type WidgetHandle } from './mount';
export { HurenPanelElement, defineHurenPanel } from './element';
export type { WidgetOptions, WidgetConfig } from './options';
export { mountStats, type StatsHandle, type StatsMountOptions } from './stats';
export { startFrame, type FrameOptions, type FrameHandle } from './frame/frame-page';
export { mountFrame, type FrameHostOptions, type FrameHostHandle } from './frame/frame-host';

defineHurenPanel();
