"""Operations: the workspace, accounts, backup and restore, the doctor, upgrades and the
systemd units."""
