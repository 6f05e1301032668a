import { defineConfig } from 'wxt';

// Hosts the demo runs on. Real EMR origins are added at run time (issue 6), never <all_urls>.
const DEMO_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'];

export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  outDir: '.output',
  modules: ['@wxt-dev/module-react'],
  manifest: {
    name: 'Huren 互认助手',
    description: '检查检验结果互认提醒：在电子病历中提示可互认的外院检查检验结果',
    default_locale: undefined,
    permissions: ['storage'],
    host_permissions: DEMO_HOSTS,
    web_accessible_resources: [
      // Only the sidebar page, only to EMR origins; a dynamic URL hides the extension id from pages.
      { resources: ['sidebar.html'], matches: DEMO_HOSTS, use_dynamic_url: true },
    ],
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'self'; frame-ancestors http://127.0.0.1:* http://localhost:*",
    },
    browser_specific_settings: {
      gecko: {
        id: 'huren@huren.example',
        data_collection_permissions: { required: ['healthInfo', 'personallyIdentifyingInfo'] },
      },
    },
  },
});
