/**
 * huren-frame-host.js: all a host EMR page loads in the iframe mode (`HurenFrameHost.mountFrame`).
 * No React and no panel code run in the host's origin; the panel runs in the Huren frame.
 */
export { mountFrame, type FrameHostOptions, type FrameHostHandle } from './frame/frame-host';
