import '../../compat/chrome109';
import { createRoot } from 'react-dom/client';
import { OptionsApp } from '../../options/OptionsApp';

createRoot(document.getElementById('root')!).render(<OptionsApp />);
