# Builds and installs OpenLoop: `make && sudo make install`.
# Honours PREFIX (default /usr/local) and DESTDIR (staged installs, packages).
# `make uninstall` removes what `make install` put in place and leaves the
# index (/var/lib/loopd) and the config (/etc/loopd/loopd.toml) alone.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/openloop
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
USERUNITDIR ?= $(PREFIX)/lib/systemd/user
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
SYSCTLDIR ?= $(PREFIX)/lib/sysctl.d
SWIFT ?= swift
# Where the built loopd and loopctl are taken from.
BUILD_DIR ?= .build/release
MAN_BUILD ?= .build/man

.PHONY: all build man install install-files uninstall

all: build man

build:
	$(SWIFT) build -c release --product loopd
	$(SWIFT) build -c release --product loopctl

# loopd(1) and loopctl(1) from the commands' own help; loopd.toml(5) from the annotated example config.
man:
	mkdir -p $(MAN_BUILD)
	$(SWIFT) package --allow-writing-to-directory $(MAN_BUILD) generate-manual --output-directory $(MAN_BUILD) --authors OpenLoop
	rm -f $(MAN_BUILD)/loopbench.1
	$(MAKE) $(MAN_BUILD)/loopd.toml.5

$(MAN_BUILD)/loopd.toml.5: etc/loopd.toml
	mkdir -p $(MAN_BUILD)
	{ printf '.Dd %s\n.Dt LOOPD.TOML 5\n.Os\n.Sh NAME\n.Nm loopd.toml\n.Nd configuration of the OpenLoop indexer\n' "$$(date -u '+%B %e, %Y')"; \
	  printf '.Sh DESCRIPTION\nloopd reads TOML from --config, else $$LOOPD_CONFIG, else /etc/loopd/loopd.toml (as root), else ~/.config/loopd/loopd.toml. Every key, with its default and meaning:\n.Bd -literal\n'; \
	  sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' etc/loopd.toml; \
	  printf '.Ed\n.Sh SEE ALSO\n.Xr loopd 1 ,\n.Xr loopctl 1\n'; } > $@

install: all install-files

# Copies what is built; `make install` builds first.
install-files: $(MAN_BUILD)/loopd.toml.5
	install -Dm755 $(BUILD_DIR)/loopd $(DESTDIR)$(BINDIR)/loopd
	install -Dm755 $(BUILD_DIR)/loopctl $(DESTDIR)$(BINDIR)/loopctl
	for unit in loopd.service loopd.socket; do \
	  install -d $(DESTDIR)$(UNITDIR); \
	  sed 's|/usr/local/bin/|$(BINDIR)/|g' systemd/$$unit > $(DESTDIR)$(UNITDIR)/$$unit; chmod 644 $(DESTDIR)$(UNITDIR)/$$unit; \
	done
	install -d $(DESTDIR)$(USERUNITDIR)
	sed 's|/usr/local/bin/|$(BINDIR)/|g' systemd/user/loopd.service > $(DESTDIR)$(USERUNITDIR)/loopd.service
	chmod 644 $(DESTDIR)$(USERUNITDIR)/loopd.service
	install -Dm644 systemd/sysusers.d/loopd.conf $(DESTDIR)$(SYSUSERSDIR)/loopd.conf
	install -Dm644 systemd/sysctl.d/60-loopd-inotify.conf $(DESTDIR)$(SYSCTLDIR)/60-loopd-inotify.conf
	install -Dm644 etc/loopd.toml $(DESTDIR)$(DOCDIR)/loopd.toml.example
	# An edited config is never replaced.
	if [ ! -e $(DESTDIR)$(SYSCONFDIR)/loopd/loopd.toml ]; then install -Dm644 etc/loopd.toml $(DESTDIR)$(SYSCONFDIR)/loopd/loopd.toml; fi
	install -Dm644 $(MAN_BUILD)/loopd.toml.5 $(DESTDIR)$(MANDIR)/man5/loopd.toml.5
	for page in loopd loopctl; do \
	  if [ -e $(MAN_BUILD)/$$page.1 ]; then install -Dm644 $(MAN_BUILD)/$$page.1 $(DESTDIR)$(MANDIR)/man1/$$page.1; \
	  else echo "note: $(MAN_BUILD)/$$page.1 not built (run make man); skipped" >&2; fi; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/loopd $(DESTDIR)$(BINDIR)/loopctl
	rm -f $(DESTDIR)$(UNITDIR)/loopd.service $(DESTDIR)$(UNITDIR)/loopd.socket $(DESTDIR)$(USERUNITDIR)/loopd.service
	rm -f $(DESTDIR)$(SYSUSERSDIR)/loopd.conf $(DESTDIR)$(SYSCTLDIR)/60-loopd-inotify.conf
	rm -f $(DESTDIR)$(MANDIR)/man1/loopd.1 $(DESTDIR)$(MANDIR)/man1/loopctl.1 $(DESTDIR)$(MANDIR)/man5/loopd.toml.5
	rm -rf $(DESTDIR)$(DOCDIR)
	@echo "Left in place: the index in /var/lib/loopd (or ~/.local/state/loopd) and $(SYSCONFDIR)/loopd/loopd.toml."
