# Generated from ui/import_file_page.ui — do not edit — regenerate with: python packaging/build_generated.py
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'import_file_page.ui'
##
## Created by: Qt User Interface Compiler
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget, QWizardPage)

class Ui_ImportFilePage(object):
    def setupUi(self, ImportFilePage):
        if not ImportFilePage.objectName():
            ImportFilePage.setObjectName(u"ImportFilePage")
        self.pageLayout = QVBoxLayout(ImportFilePage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.fileRow = QHBoxLayout()
        self.fileRow.setObjectName(u"fileRow")
        self.fileLabel = QLabel(ImportFilePage)
        self.fileLabel.setObjectName(u"fileLabel")

        self.fileRow.addWidget(self.fileLabel)

        self.pathEdit = QLineEdit(ImportFilePage)
        self.pathEdit.setObjectName(u"pathEdit")
        self.pathEdit.setClearButtonEnabled(True)

        self.fileRow.addWidget(self.pathEdit)

        self.browseButton = QPushButton(ImportFilePage)
        self.browseButton.setObjectName(u"browseButton")
        self.browseButton.setAutoDefault(False)

        self.fileRow.addWidget(self.browseButton)

        self.fileRow.setStretch(1, 1)

        self.pageLayout.addLayout(self.fileRow)

        self.dropHintLabel = QLabel(ImportFilePage)
        self.dropHintLabel.setObjectName(u"dropHintLabel")

        self.pageLayout.addWidget(self.dropHintLabel)

        self.bottomSpace = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.pageLayout.addItem(self.bottomSpace)

#if QT_CONFIG(shortcut)
        self.fileLabel.setBuddy(self.pathEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ImportFilePage)

        QMetaObject.connectSlotsByName(ImportFilePage)
    # setupUi

    def retranslateUi(self, ImportFilePage):
        ImportFilePage.setTitle(QCoreApplication.translate("ImportFilePage", u"Choose the file to import", None))
        ImportFilePage.setSubTitle(QCoreApplication.translate("ImportFilePage", u"A CSV export from a CRM, a marketing tool or a spreadsheet. The next pages show how it reads before anything is imported.", None))
        self.fileLabel.setText(QCoreApplication.translate("ImportFilePage", u"&File:", None))
        self.pathEdit.setPlaceholderText(QCoreApplication.translate("ImportFilePage", u"/path/to/leads.csv", None))
        self.browseButton.setText(QCoreApplication.translate("ImportFilePage", u"B&rowse\u2026", None))
        self.dropHintLabel.setText(QCoreApplication.translate("ImportFilePage", u"Tip: you can also drop a CSV file on the main window to start an import.", None))
    # retranslateUi

