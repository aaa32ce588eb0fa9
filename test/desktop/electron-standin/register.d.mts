// Types for register.mjs: it has no exports; importing it registers the electron stand-in's resolve hook.
export {};
