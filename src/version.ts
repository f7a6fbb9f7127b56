/** The Argus release this build reports. */
export const VERSION = "0.1.0";
