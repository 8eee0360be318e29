-- Runs after every migrate: logins and passwords come from configuration, never from the repo.
ALTER ROLE amply_app WITH LOGIN PASSWORD '${app_password}';
ALTER ROLE amply_readonly WITH LOGIN PASSWORD '${readonly_password}';
