import { useEffect, useState, type FormEvent } from 'react';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { api, type Account, type Filters } from './api';
import { HospitalView, RegionView, ReportView } from './views';
import { LocaleContext, useT, type Locale } from './strings';

type View = 'hospital' | 'region' | 'report';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const monthStart = (d: string) => `${d.slice(0, 7)}-01`;
const addMonths = (day: string, n: number) => {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
};
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function viewsFor(account: Account): View[] {
  if (account.role === 'region') return ['region', 'report'];
  if (account.role === 'admin') return ['hospital', 'region', 'report'];
  return ['hospital', 'report'];
}

function SignIn({ onSignedIn }: { onSignedIn: (a: Account) => void }) {
  const t = useT();
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    try {
      onSignedIn(await api.signIn(String(data.get('username')), String(data.get('password'))));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <main className="signin">
      <h1>{t('title')}</h1>
      <p>{t('subtitle')}</p>
      <form onSubmit={(e) => void submit(e)} aria-label={t('signIn')}>
        <label>
          {t('username')}
          <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit">{t('signIn')}</button>
        {error && (
          <p role="alert" className="error">
            {t('signInFailed')}
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

function Dashboard({ account, onSignOut, locale, setLocale }: { account: Account; onSignOut: () => void; locale: Locale; setLocale: (l: Locale) => void }) {
  const t = useT();
  const views = viewsFor(account);
  const [view, setView] = useState<View>(() => (views.includes(location.hash.slice(2) as View) ? (location.hash.slice(2) as View) : views[0]!));
  const [filters, setFilters] = useState<Filters>(() => ({ from: monthStart(today()), to: addDays(today(), 1) }));
  const [month, setMonth] = useState(() => today().slice(0, 7));
  const definitions = useQuery({ queryKey: ['definitions'], queryFn: api.definitions });
  const hospitals = useQuery({ queryKey: ['hospitals'], queryFn: api.hospitals });
  useEffect(() => {
    location.hash = `/${view}`;
  }, [view]);
  const hospitalId = account.hospitalId ?? filters.hospital ?? hospitals.data?.hospitals[0]?.id;
  const preset = (from: string, to: string) => setFilters({ ...filters, from, to });
  const label = (v: View) => (v === 'hospital' ? (account.role === 'department_head' ? t('departmentView') : t('hospitalView')) : v === 'region' ? t('regionView') : t('reportView'));
  return (
    <div className={`app view-${view}`}>
      <header className="top no-print">
        <div>
          <strong>{t('title')}</strong> <span className="muted">{t('subtitle')}</span>
        </div>
        <nav aria-label={t('title')}>
          {views.map((v) => (
            <button key={v} type="button" aria-current={view === v ? 'page' : undefined} onClick={() => setView(v)}>
              {label(v)}
            </button>
          ))}
        </nav>
        <div className="who">
          <span>
            {account.displayName}
            {account.department ? ` · ${account.department}` : ''}
          </span>
          <button type="button" onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')} lang={locale === 'zh-CN' ? 'en' : 'zh-CN'}>
            {t('language')}
          </button>
          <button type="button" onClick={onSignOut}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <main>
        {view !== 'report' ? (
          <form className="filters no-print" aria-label={t('period')} onSubmit={(e) => e.preventDefault()}>
            <fieldset>
              <legend>{t('period')}</legend>
              <button type="button" onClick={() => preset(monthStart(today()), addDays(today(), 1))}>
                {t('thisMonth')}
              </button>
              <button type="button" onClick={() => preset(addMonths(today(), -1), monthStart(today()))}>
                {t('lastMonth')}
              </button>
              <button type="button" onClick={() => preset(addDays(today(), -29), addDays(today(), 1))}>
                {t('last30')}
              </button>
              <label>
                {t('from')}
                <input type="date" value={filters.from} onChange={(e) => e.target.value && setFilters({ ...filters, from: e.target.value })} />
              </label>
              <label>
                {t('to')}
                <input type="date" value={filters.to} onChange={(e) => e.target.value && setFilters({ ...filters, to: e.target.value })} />
              </label>
            </fieldset>
            {account.role === 'admin' && view === 'hospital' && (
              <label>
                {t('hospital')}
                <select value={hospitalId ?? ''} onChange={(e) => setFilters({ ...filters, hospital: e.target.value })}>
                  {hospitals.data?.hospitals.map((h) => (
                    <option key={h.id} value={h.id}>
                      {h.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </form>
        ) : (
          <form className="filters no-print" onSubmit={(e) => e.preventDefault()}>
            <label>
              {t('month')}
              <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
            </label>
          </form>
        )}
        {view === 'hospital' && hospitalId && (
          <HospitalView key={hospitalId} account={account} filters={{ ...filters, hospital: hospitalId }} definitions={definitions.data} hospitals={hospitals.data} />
        )}
        {view === 'region' && <RegionView filters={filters} definitions={definitions.data} hospitals={hospitals.data} />}
        {view === 'report' && <ReportView account={account} month={month} definitions={definitions.data} hospitals={hospitals.data} />}
      </main>
    </div>
  );
}

const client = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: false } } });

export function App() {
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  const [locale, setLocale] = useState<Locale>(() => (localStorage.getItem('huren-dashboard-locale') === 'en' ? 'en' : 'zh-CN'));
  useEffect(() => {
    void api.session().then(setAccount, () => setAccount(null));
  }, []);
  useEffect(() => {
    localStorage.setItem('huren-dashboard-locale', locale);
    document.documentElement.lang = locale;
  }, [locale]);
  return (
    <LocaleContext.Provider value={locale}>
      <QueryClientProvider client={client}>
        {account === undefined ? null : account === null ? (
          <SignIn onSignedIn={setAccount} />
        ) : (
          <Dashboard
            account={account}
            locale={locale}
            setLocale={setLocale}
            onSignOut={() =>
              void api.signOut().finally(() => {
                client.clear();
                setAccount(null);
              })
            }
          />
        )}
      </QueryClientProvider>
    </LocaleContext.Provider>
  );
}
