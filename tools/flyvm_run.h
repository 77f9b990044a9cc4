/*
 * flyvm_run.h - `flyvm run': processes driven by a script (flyvm_run.c).
 */
#ifndef _TOOLS_FLYVM_RUN_H_
#define _TOOLS_FLYVM_RUN_H_

struct flyvm;

/*
 * flyvm_run_script - run the script in file ("-": standard input) on the
 * booted system vm, printing each call's result.  Returns 0, or 2 if the
 * script cannot be read (a line that cannot be parsed exits with 2).
 */
int	flyvm_run_script(struct flyvm *vm, const char *file);

#endif /* !_TOOLS_FLYVM_RUN_H_ */
