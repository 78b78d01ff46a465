"""`clients import FILE.csv` as a user runs it: `;` or `,`, UTF-8 or Windows-1252, rows refused with the reason."""

import os
import subprocess
import sys

import pytest

from clients.csv_import import BadFile, read_clients
from clients.models import Client
from gateway.app import open_gateway
from tests.helpers import ROOT

EXCEL_FRENCH = (
    "Nom;SIREN;N° TVA;E-mail;Adresse;Code postal;Ville;Pays;Type\r\n"
    "ACME SAS;732 829 320;FR44732829320;compta@acme.fr;12 rue de la Paix;75002;Paris;France;entreprise\r\n"
    "Jean Dupré;;;jean@exemple.org;3 allée des Tilleuls;69003;Lyon;FR;particulier\r\n"
)


def run_import(config, data: bytes, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(data)
    environ = {**os.environ, "GATEWAY_STORAGE__VAR_DIR": str(config.var_dir),
               "GATEWAY_STORAGE__DATABASE_URL": config.database_url}
    return subprocess.run([sys.executable, "-m", "gateway", "clients", "import", str(path)], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=120)


def directory(config) -> dict[str, Client]:
    gateway = open_gateway(config)
    try:
        with gateway.database.sessions() as session:
            return {client.name: client for client in session.query(Client)}
    finally:
        gateway.close()


def test_a_french_excel_export_in_windows_1252_is_imported(config, tmp_path):
    result = run_import(config, EXCEL_FRENCH.encode("cp1252"), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 créé(s)" in result.stdout
    clients = directory(config)
    acme, jean = clients["ACME SAS"], clients["Jean Dupré"]
    assert (acme.siren, acme.vat_number, acme.country, acme.is_business) == ("732829320", "FR44732829320", "FR", True)
    assert (jean.city, jean.is_business) == ("Lyon", False)


def test_importing_again_updates_and_reports_the_changes(config, tmp_path):
    run_import(config, EXCEL_FRENCH.encode(), tmp_path)
    moved = "name,siren,address,postcode,city\nACME SAS,732829320,1 avenue de l'Opéra,75001,Paris\n"
    result = run_import(config, moved.encode(), tmp_path)
    assert result.returncode == 0 and "1 mis à jour" in result.stdout
    assert "12 rue de la Paix" in result.stdout and "1 avenue de l'Opéra" in result.stdout
    assert directory(config)["ACME SAS"].address == "1 avenue de l'Opéra"


def test_rows_with_a_mistake_are_refused_with_their_line_and_the_others_imported(config, tmp_path):
    data = "nom;siren;email\nBonne SARL;552100554;a@b.fr\nMauvaise SA;123456789;c@d.fr\n;552100554;\n"
    result = run_import(config, data.encode(), tmp_path)
    assert result.returncode == 1
    assert "ligne 3 refusée" in result.stdout and "123456789" in result.stdout
    assert "ligne 4 refusée" in result.stdout
    assert set(directory(config)) == {"Bonne SARL"}


def test_a_file_without_a_name_column_is_refused_whole(config, tmp_path):
    result = run_import(config, b"siren;email\n552100554;a@b.fr\n", tmp_path)
    assert result.returncode == 2 and "nom" in result.stdout
    assert directory(config) == {}


@pytest.mark.parametrize("data", [b"", b"\n\n"])
def test_an_empty_file_is_a_bad_file(data):
    with pytest.raises(BadFile):
        read_clients(data)


def test_unknown_columns_are_named_and_ignored():
    clients, errors, ignored = read_clients("Nom,Commercial,Ville\nACME SAS,Marie,Paris\n".encode())
    assert ignored == ["Commercial"] and errors == []
    [(line, acme)] = clients
    assert (line, acme.city, acme.is_business) == (2, "Paris", False)
