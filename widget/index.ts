/**
 * Huren widget: the same panel for hospitals' in-house EMRs. See docs/widget.md.
 * The statistics view (`mountStats`, huren-widget-stats.js) and the iframe mode's host script
 * (`mountFrame`, huren-frame-host.js) are separate bundles: neither is part of this one.
 */
import { defineHurenPanel } from './element';

export { mount, type WidgetHandle } from './mount';
export { HurenPanelElement, defineHurenPanel } from './element';
export type { WidgetOptions, WidgetConfig } from './options';
export { startFrame, type FrameOptions, type FrameHandle } from './frame/frame-page';

defineHurenPanel();
