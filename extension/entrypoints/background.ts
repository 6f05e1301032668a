import '../compat/chrome109';
import { startBackground } from '../background/main';

export default defineBackground({
  type: 'module',
  main: startBackground,
});
