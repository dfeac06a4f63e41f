/**
 * Stands in for zod's locales index (`zod/v4/locales/index.cjs`) in the workflow bundle
 * (see workflow-bundle.ts). zod's own index evaluates all of its locales when zod loads,
 * and a workflow that loads zod (a runbook, an incident's first command) would pay for
 * that on every execution. Here each locale is still there under the same name, but
 * evaluated only when first used. CommonJS on purpose: it replaces a CommonJS module.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

const zodLocaleLoaders: Record<string, () => unknown> = {
  ar: () => require('zod/v4/locales/ar.cjs'),
  az: () => require('zod/v4/locales/az.cjs'),
  be: () => require('zod/v4/locales/be.cjs'),
  bg: () => require('zod/v4/locales/bg.cjs'),
  bn: () => require('zod/v4/locales/bn.cjs'),
  ca: () => require('zod/v4/locales/ca.cjs'),
  ckb: () => require('zod/v4/locales/ckb.cjs'),
  cs: () => require('zod/v4/locales/cs.cjs'),
  da: () => require('zod/v4/locales/da.cjs'),
  de: () => require('zod/v4/locales/de.cjs'),
  el: () => require('zod/v4/locales/el.cjs'),
  en: () => require('zod/v4/locales/en.cjs'),
  eo: () => require('zod/v4/locales/eo.cjs'),
  es: () => require('zod/v4/locales/es.cjs'),
  fa: () => require('zod/v4/locales/fa.cjs'),
  fi: () => require('zod/v4/locales/fi.cjs'),
  fr: () => require('zod/v4/locales/fr.cjs'),
  frCA: () => require('zod/v4/locales/fr-CA.cjs'),
  gu: () => require('zod/v4/locales/gu.cjs'),
  he: () => require('zod/v4/locales/he.cjs'),
  hi: () => require('zod/v4/locales/hi.cjs'),
  hr: () => require('zod/v4/locales/hr.cjs'),
  hu: () => require('zod/v4/locales/hu.cjs'),
  hy: () => require('zod/v4/locales/hy.cjs'),
  id: () => require('zod/v4/locales/id.cjs'),
  is: () => require('zod/v4/locales/is.cjs'),
  it: () => require('zod/v4/locales/it.cjs'),
  ja: () => require('zod/v4/locales/ja.cjs'),
  ka: () => require('zod/v4/locales/ka.cjs'),
  kh: () => require('zod/v4/locales/kh.cjs'),
  km: () => require('zod/v4/locales/km.cjs'),
  kn: () => require('zod/v4/locales/kn.cjs'),
  ko: () => require('zod/v4/locales/ko.cjs'),
  lt: () => require('zod/v4/locales/lt.cjs'),
  mk: () => require('zod/v4/locales/mk.cjs'),
  ms: () => require('zod/v4/locales/ms.cjs'),
  ne: () => require('zod/v4/locales/ne.cjs'),
  nl: () => require('zod/v4/locales/nl.cjs'),
  nn: () => require('zod/v4/locales/nn.cjs'),
  no: () => require('zod/v4/locales/no.cjs'),
  ota: () => require('zod/v4/locales/ota.cjs'),
  pl: () => require('zod/v4/locales/pl.cjs'),
  ps: () => require('zod/v4/locales/ps.cjs'),
  pt: () => require('zod/v4/locales/pt.cjs'),
  ptBR: () => require('zod/v4/locales/pt-BR.cjs'),
  ro: () => require('zod/v4/locales/ro.cjs'),
  ru: () => require('zod/v4/locales/ru.cjs'),
  sk: () => require('zod/v4/locales/sk.cjs'),
  sl: () => require('zod/v4/locales/sl.cjs'),
  sv: () => require('zod/v4/locales/sv.cjs'),
  ta: () => require('zod/v4/locales/ta.cjs'),
  tg: () => require('zod/v4/locales/tg.cjs'),
  th: () => require('zod/v4/locales/th.cjs'),
  tk: () => require('zod/v4/locales/tk.cjs'),
  tr: () => require('zod/v4/locales/tr.cjs'),
  ua: () => require('zod/v4/locales/ua.cjs'),
  uk: () => require('zod/v4/locales/uk.cjs'),
  ur: () => require('zod/v4/locales/ur.cjs'),
  uz: () => require('zod/v4/locales/uz.cjs'),
  vi: () => require('zod/v4/locales/vi.cjs'),
  yo: () => require('zod/v4/locales/yo.cjs'),
  zhCN: () => require('zod/v4/locales/zh-CN.cjs'),
  zhTW: () => require('zod/v4/locales/zh-TW.cjs'),
};

/** A locale module's function, read the way zod's index reads it (its `__importDefault`). */
const defaultOf = (module: unknown) => ((module as { __esModule?: boolean }).__esModule ? (module as { default: unknown }).default : module);

const lazyZodLocales: Record<string, unknown> = {};
Object.defineProperty(lazyZodLocales, '__esModule', { value: true });
for (const [name, load] of Object.entries(zodLocaleLoaders)) {
  Object.defineProperty(lazyZodLocales, name, { enumerable: true, get: () => defaultOf(load()) });
}

module.exports = lazyZodLocales;
