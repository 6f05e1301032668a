/** huren-widget-pinyin.js: `window.HurenPinyin.initials`, loaded by the widget when the paper entry opens (pinyin-loader.ts). */
export { initials } from '../shared/paper/pinyin';
