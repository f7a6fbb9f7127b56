/**
 * A real `<a href>` that navigates inside the app on a plain left click and
 * leaves every other click (middle, Ctrl/Cmd, Shift, Alt) to the browser, so
 * "open in new tab" and "copy link" work.
 *
 * @module
 */
import type { AnchorHTMLAttributes, MouseEvent, Ref } from "react";
import { navigate } from "../hooks/router.tsx";
import { isPlainLeftClick } from "../model/routes.ts";

/** Props of {@link Link}. */
export interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  href: string;
  /** Replace the current history entry. */
  replace?: boolean;
  ref?: Ref<HTMLAnchorElement>;
}

/** An in-app link. */
export function Link({ href, replace, onClick, target, ref, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (!isPlainLeftClick(event, target)) return;
    event.preventDefault();
    navigate(href, { replace });
  };
  return <a ref={ref} href={href} target={target} onClick={handleClick} {...rest} />;
}
