import { useEffect, useState, type FormEvent } from 'react';
import { loadSettings, saveSettings, Settings } from '../settings/settings';

/** Settings hospital IT sets once: the results platform and the language. */
export function OptionsApp() {
  const [settings, setSettings] = useState<Settings>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  useEffect(() => {
    void loadSettings().then(setSettings);
  }, []);
  if (!settings) return null;

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const parsed = Settings.safeParse({
      fhirBaseUrl: String(form.get('fhirBaseUrl') ?? '').trim(),
      token: String(form.get('token') ?? '') || undefined,
      lookbackDays: Number(form.get('lookbackDays')),
      locale: form.get('locale'),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      setMessage({ ok: false, text: `未保存：${issue.path.join('.')} ${issue.message}` });
      return;
    }
    await saveSettings(parsed.data);
    setSettings(parsed.data);
    setMessage({ ok: true, text: '已保存' });
  };

  return (
    <main style={{ font: '14px/1.6 system-ui, "Microsoft YaHei", sans-serif', maxWidth: 640, margin: '24px auto' }}>
      <h1 style={{ fontSize: 20 }}>互认助手 · 设置</h1>
      <form onSubmit={(e) => void onSubmit(e)} style={{ display: 'grid', gap: 12 }}>
        <label>
          互认平台 FHIR R4 地址
          <input name="fhirBaseUrl" type="url" required defaultValue={settings.fhirBaseUrl} style={{ display: 'block', width: '100%' }} />
        </label>
        <label>
          访问令牌（可选）
          <input name="token" type="password" autoComplete="off" defaultValue={settings.token ?? ''} style={{ display: 'block', width: '100%' }} />
        </label>
        <label>
          查询范围（天）
          <input name="lookbackDays" type="number" min={1} max={3650} defaultValue={settings.lookbackDays} style={{ display: 'block' }} />
        </label>
        <label>
          界面语言 Language
          <select name="locale" defaultValue={settings.locale} style={{ display: 'block' }}>
            <option value="zh-CN">简体中文</option>
            <option value="en">English</option>
          </select>
        </label>
        <div>
          <button type="submit">保存</button>
          {message && (
            <span role="status" style={{ marginLeft: 12, color: message.ok ? '#1a7f37' : '#b42318' }}>
              {message.text}
            </span>
          )}
        </div>
      </form>
    </main>
  );
}
